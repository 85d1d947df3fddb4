package io.prunestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes manifest under {@code deploy/k8s} parses into its typed model with no unknown field: the check
 * {@code kubectl apply --validate=strict} makes against a cluster, made here without one.
 */
class KubernetesManifestsTest {

    /** The kinds the manifests may use, each with the model that knows its fields. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    private static final JsonSchema SCALED_OBJECT =
            Schemas.load("keda-scaledobject.schema.json", SpecVersion.VersionFlag.V7);

    @Test
    void everyManifestHasAKnownKindAndNoUnknownField() {
        List<Path> manifests = new ArrayList<>(Kustomizations.manifests());
        assertThat(manifests).as("manifests under deploy/k8s").hasSizeGreaterThanOrEqualTo(10);
        manifests.addAll(Kustomizations.patchFiles());
        List<String> problems = new ArrayList<>();
        int resources = 0;
        for (Path file : manifests) {
            for (JsonNode document : Repository.documents(file)) {
                resources++;
                problems.addAll(problems(document).stream()
                        .map(p -> Repository.ROOT.relativize(file) + " " + kindAndName(document) + ": " + p).toList());
            }
        }
        assertThat(problems).as("problems in the manifests").isEmpty();
        assertThat(resources).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aMisspeltFieldIsCaught() throws Exception {
        JsonNode deployment = Repository.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          imagePullPolcy: Always
                """);
        assertThat(problems(deployment)).containsExactlyInAnyOrder("unknown field spec.replica",
                "unknown field spec.template.spec.containers[0].imagePullPolcy");
        JsonNode scaledObject = Repository.YAML.readTree("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k, consumerGroup: g, lagTreshold: "5"}
                """);
        assertThat(problems(scaledObject)).anyMatch(p -> p.contains("lagTreshold"));
        assertThat(problems(Repository.YAML.readTree("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n")))
                .containsExactly("no model for v1/Secret: add it to KubernetesManifestsTest.MODELS");
    }

    @Test
    void everyWorkloadIsProbedLimitedAndNonRoot() {
        for (Path file : Kustomizations.manifests()) {
            for (JsonNode document : Repository.documents(file)) {
                if (!document.path("kind").asText().equals("Deployment")) {
                    continue;
                }
                Deployment deployment = Repository.YAML.convertValue(document, Deployment.class);
                var pod = deployment.getSpec().getTemplate().getSpec();
                String name = deployment.getMetadata().getName();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
                for (var container : pod.getContainers()) {
                    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
                    assertThat(container.getLivenessProbe()).as(name + " liveness probe").isNotNull();
                    assertThat(container.getReadinessProbe()).as(name + " readiness probe").isNotNull();
                    if (container.getImage().startsWith("prunestream/")) {
                        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                        assertThat(container.getReadinessProbe().getHttpGet().getPath())
                                .isEqualTo("/q/health/ready");
                    }
                    assertThat(container.getResources().getRequests()).as(name + " requests")
                            .containsKeys("cpu", "memory");
                    assertThat(container.getResources().getLimits()).as(name + " limits").containsKey("memory");
                }
            }
        }
    }

    static List<String> problems(JsonNode document) {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        if (key.equals("keda.sh/v1alpha1/ScaledObject")) {
            return Schemas.problems(SCALED_OBJECT, document);
        }
        Class<?> model = MODELS.get(key);
        if (model == null) {
            return List.of("no model for " + key + ": add it to KubernetesManifestsTest.MODELS");
        }
        try {
            Object resource = Repository.YAML.convertValue(document, model);
            return UnknownFields.in(resource).stream().map(f -> "unknown field " + f).toList();
        } catch (IllegalArgumentException e) {
            return List.of("does not parse as " + model.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String kindAndName(JsonNode document) {
        return document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
    }
}
