/**
 * The pipeline's event contracts: immutable records for the checkpoint, variant and evaluation events,
 * the topic names, and the JSON codec that validates every event it reads against the published JSON
 * Schemas ({@code docs/schemas}). No TensorFlow and no Quarkus here, so any module (or a user's tool)
 * can depend on it.
 */
package io.prunestream.events;
