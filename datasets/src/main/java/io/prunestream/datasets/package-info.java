/**
 * Image datasets in the standard IDX format (MNIST, Fashion-MNIST): readers and writers that take plain or gzipped
 * files, the catalogue of the datasets one deployment serves, generated images for tests, and how images become a
 * model's input (every input layout, the declared pixel scaling). Plain Java; every service reads through here.
 */
package io.prunestream.datasets;
