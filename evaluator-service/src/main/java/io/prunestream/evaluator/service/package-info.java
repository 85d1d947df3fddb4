/**
 * Scoring models with the DJL TensorFlow engine: the test data, the scorer, the store of results (one per variant,
 * kept in the model store so it survives restarts), failures by reason, meters and the HTML report.
 */
package io.prunestream.evaluator.service;
