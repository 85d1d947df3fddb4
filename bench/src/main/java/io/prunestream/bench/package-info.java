/** Benchmark programs; each is run by a script in {@code bench/} that records its results there. */
package io.prunestream.bench;
