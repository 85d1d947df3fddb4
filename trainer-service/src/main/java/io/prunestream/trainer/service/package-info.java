/**
 * Training runs: the queue that trains one run at a time, each run's observable state, exporting checkpoints into
 * the model store with their provenance, and the progress meters.
 */
package io.prunestream.trainer.service;
