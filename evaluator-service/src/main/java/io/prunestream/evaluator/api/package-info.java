/** The HTTP API: the stored evaluations as JSON and a report page per run. */
package io.prunestream.evaluator.api;
