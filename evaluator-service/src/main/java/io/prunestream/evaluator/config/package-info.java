/** The evaluator's configuration: one {@code @ConfigMapping} with a documented default per key. */
package io.prunestream.evaluator.config;
