/** The HTTP API: drop a checkpoint (a path in the model store or an uploaded .tar.gz) to have it pruned. */
package io.prunestream.pruner.api;
