/**
 * The only package that touches {@code org.tensorflow}: starting the engine on the natives the build unpacked
 * ({@link io.prunestream.tensorflow.TensorFlowRuntime}), inspecting SavedModels, and reading and rewriting their
 * variables. Everything else in the project exchanges plain Java arrays with this package.
 */
package io.prunestream.tensorflow;
