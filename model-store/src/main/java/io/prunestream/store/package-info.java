/**
 * The model store: one root directory (a shared volume under compose and Kubernetes) that holds every checkpoint
 * and variant. It turns {@code file:} URIs from events into paths and refuses any that leave the root, writes
 * model directories atomically, and computes the digest that events carry.
 */
package io.prunestream.store;
