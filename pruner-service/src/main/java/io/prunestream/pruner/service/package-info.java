/**
 * Turning a checkpoint into pruned variants: the configured plan (methods x sparsities), deterministic variant ids,
 * writing each variant once into the model store, registering uploaded checkpoints, failures by reason, meters.
 */
package io.prunestream.pruner.service;
