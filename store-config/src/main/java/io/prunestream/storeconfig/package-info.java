/**
 * {@code prunestream.object-store.*}: the one configuration of a bucket every service reads, and the store it opens.
 */
package io.prunestream.storeconfig;
