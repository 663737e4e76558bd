/**
 * How a service's requests are shared among its deployments: the live traffic split, the mirror
 * (shadow) share, and the choice made for each request (pinned by the {@code azureml-model-deployment}
 * header, or drawn by weight). Pure logic, JDK only; the service layer stores the split and the
 * server's adapters apply it.
 */
package dev.scoria.core.traffic;
