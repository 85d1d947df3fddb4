/**
 * Reading the provisioned Grafana dashboards: their panels, the PromQL they run and the metric names it reads, so that
 * the services' tests and {@code deploy/check-dashboards.sh} can hold the dashboards to what the services expose.
 */
package io.prunestream.deploy;
