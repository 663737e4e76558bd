package dev.scoria.core.service;

import dev.scoria.core.replica.ReplicaReport;
import java.util.List;

/** A service as the management API shows it: its record with the overall state, and what each live replica reports. */
public record ServiceView(ServiceRecord record, List<ReplicaReport> replicas) {}
