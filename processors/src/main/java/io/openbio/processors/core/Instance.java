package io.openbio.processors.core;

import java.net.InetAddress;
import java.util.UUID;

/** The name this process puts into stage traces: host name (the pod name in k8s) plus a short id. */
public final class Instance {
    private static final String ID = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);

    private Instance() {
    }

    public static String id() {
        return ID;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "local";
        }
    }
}
