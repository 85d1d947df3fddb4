/** The HTTP API: start, watch and cancel training runs; errors as JSON that names the bad field. */
package io.prunestream.trainer.api;
