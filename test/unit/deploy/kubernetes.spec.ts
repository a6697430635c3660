import { readdirSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../../lib/config";
import {
	DEPLOYMENT_ROLES,
	isSecretSetting,
	isShipped,
	k8sDocuments,
	OPERATOR_VALUES,
	parseYamlFile,
	readText,
	ROOT,
	SETTING_NAMES,
	type K8sObject
} from "../../support/deployment";

interface Probe {
	httpGet?: { path: string; port: string | number };
	exec?: { command: string[] };
}
interface Container {
	name: string;
	image: string;
	command?: string[];
	env?: { name: string; value?: string; valueFrom?: unknown }[];
	envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
	ports?: { name?: string; containerPort: number }[];
	readinessProbe?: Probe;
	livenessProbe?: Probe;
	startupProbe?: Probe;
	lifecycle?: { preStop?: Probe };
	resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
	securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
	volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
	serviceAccountName?: string;
	terminationGracePeriodSeconds?: number;
	securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
	containers: Container[];
	volumes?: { name: string }[];
}
interface PodTemplate {
	metadata: { labels: Record<string, string> };
	spec: PodSpec;
}

const documents = k8sDocuments();
const objects = documents.map(d => d.object);
const ofKind = <T = K8sObject>(kind: string) => objects.filter(o => o.kind === kind) as unknown as (K8sObject & T)[];

type Deployment = { spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate } };
const deployments = ofKind<Deployment>("Deployment");
const job = ofKind<{ spec: { template: PodTemplate } }>("Job")[0];
const configMap = ofKind<{ data: Record<string, string> }>("ConfigMap")[0];
const secret = ofKind<{ stringData: Record<string, string> }>("Secret")[0];
const workloads: { name: string; pod: PodTemplate }[] = [...deployments.map(d => ({ name: d.metadata.name, pod: d.spec.template })), { name: job.metadata.name, pod: job.spec.template }];

const deploymentOf = (role: string) => deployments.find(d => d.metadata.name === `cognitionos-${role}`)!;
const envValue = (c: Container, name: string) => c.env?.find(e => e.name === name)?.value;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The configuration a container starts with: ConfigMap, then the Secret (its values filled in), then its own env. */
function containerEnv(c: Container): Record<string, string> {
	const env: Record<string, string> = {};
	for (const from of c.envFrom ?? []) {
		if (from.configMapRef) Object.assign(env, configMap.data);
		if (from.secretRef) Object.assign(env, secret.stringData, OPERATOR_VALUES);
	}
	for (const e of c.env ?? []) env[e.name] = e.value ?? (e.valueFrom ? "from-the-pod" : "");
	return env;
}

/** The kubernetes-models class of an object, by apiVersion and kind (Kubernetes 1.27 schemas). */
function modelOf(o: K8sObject): new (data: unknown) => { validate(): void } {
	const mod = require(`kubernetes-models/${o.apiVersion}/${o.kind}`) as Record<string, new (data: unknown) => { validate(): void }>;
	return mod[o.kind];
}

describe("k8s/", () => {
	it("holds only valid Kubernetes objects, each in the cognitionos namespace", () => {
		expect(objects.length).toBeGreaterThan(10);
		for (const { file, object } of documents) {
			if (object.kind === "Kustomization") continue;
			try {
				new (modelOf(object))(object).validate();
			} catch (err) {
				throw new Error(`k8s/${file}: ${object.kind} ${object.metadata?.name}: ${(err as Error).message}`);
			}
			if (object.kind !== "Namespace") expect({ file, namespace: object.metadata.namespace }).toEqual({ file, namespace: "cognitionos" });
		}
	});

	it("notices what the schemas refuse", () => {
		const broken = JSON.parse(JSON.stringify(deploymentOf("execution")));
		broken.spec.replicas = "two";
		expect(() => new (modelOf(broken))(broken).validate()).toThrow(/replicas/);
		delete broken.spec.replicas;
		delete broken.spec.template.spec.containers[0].name;
		expect(() => new (modelOf(broken))(broken).validate()).toThrow(/name/);
	});

	it("applies everything with kustomize except the Secret template and the migration Job", () => {
		const kustomization = parseYamlFile("k8s/kustomization.yaml") as { resources: string[]; namespace: string };
		const files = readdirSync(path.join(ROOT, "k8s")).filter(f => f.endsWith(".yaml") && !["kustomization.yaml", "secret.template.yaml", "migrate-job.yaml"].includes(f));
		expect([...kustomization.resources].sort()).toEqual(files.sort());
		expect(kustomization.namespace).toBe("cognitionos");
	});

	it("has one Deployment per role, loading that role's services", () => {
		expect(deployments.map(d => d.metadata.name).sort()).toEqual(DEPLOYMENT_ROLES.map(r => `cognitionos-${r.role}`).sort());
		for (const { role, services } of DEPLOYMENT_ROLES) {
			const [container] = deploymentOf(role).spec.template.spec.containers;
			expect({ role, SERVICES: envValue(container, "SERVICES") }).toEqual({ role, SERVICES: services.join(",") });
			expect(deploymentOf(role).spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "cognitionos", "app.kubernetes.io/component": role });
			expect(matches(deploymentOf(role).spec.selector.matchLabels, deploymentOf(role).spec.template.metadata.labels)).toBe(true);
		}
	});

	it("runs one image, at the version of package.json, everywhere", () => {
		const { version } = JSON.parse(readText("package.json")) as { version: string };
		for (const { name, pod } of workloads) for (const c of pod.spec.containers) expect({ name, image: c.image }).toEqual({ name, image: `cognitionos:${version}` });
		expect(job.spec.template.spec.containers[0].command).toEqual(["node", "dist/bin/migrate.js"]);
	});

	it("probes each role's readiness and liveness where it answers them", () => {
		for (const { role, services } of DEPLOYMENT_ROLES) {
			const [c] = deploymentOf(role).spec.template.spec.containers;
			const config = loadConfig({ ...containerEnv(c), SERVICES: "auth" });
			// The gateway answers on the API's port; every other node on HEALTH_PORT.
			const expected = services.includes("api-gateway") ? config.API_PORT : config.HEALTH_PORT;
			expect(expected).toBeGreaterThan(0);
			const portOf = (p: Probe | undefined) => {
				const port = p?.httpGet?.port;
				return typeof port === "number" ? port : c.ports?.find(x => x.name === port)?.containerPort;
			};
			expect({ role, ready: c.readinessProbe?.httpGet?.path, live: c.livenessProbe?.httpGet?.path }).toEqual({ role, ready: "/health/ready", live: "/health/live" });
			expect({ role, ports: [portOf(c.readinessProbe), portOf(c.livenessProbe), portOf(c.startupProbe)] }).toEqual({ role, ports: [expected, expected, expected] });
		}
	});

	it("gives every container requests and limits", () => {
		for (const { name, pod } of workloads)
			for (const c of pod.spec.containers) {
				const r = c.resources;
				expect({ name, requests: [r?.requests?.cpu, r?.requests?.memory].every(Boolean), limits: [r?.limits?.cpu, r?.limits?.memory].every(Boolean) }).toEqual({ name, requests: true, limits: true });
			}
	});

	it("runs every pod as a non-root user, without privilege escalation or capabilities, on a read-only root file system", () => {
		for (const { name, pod } of workloads) {
			expect({ name, runAsNonRoot: pod.spec.securityContext?.runAsNonRoot, root: pod.spec.securityContext?.runAsUser === 0, seccomp: pod.spec.securityContext?.seccompProfile?.type }).toEqual({
				name,
				runAsNonRoot: true,
				root: false,
				seccomp: "RuntimeDefault"
			});
			for (const c of pod.spec.containers) {
				expect({ name, escalation: c.securityContext?.allowPrivilegeEscalation, readOnly: c.securityContext?.readOnlyRootFilesystem, drop: c.securityContext?.capabilities?.drop }).toEqual({
					name,
					escalation: false,
					readOnly: true,
					drop: ["ALL"]
				});
				// A read-only root needs somewhere to write temporary files.
				expect(c.volumeMounts?.some(m => m.mountPath === "/tmp" && pod.spec.volumes?.some(v => v.name === m.name))).toBe(true);
			}
		}
	});

	it("gives each pod longer to stop than its drain takes", () => {
		for (const { role } of DEPLOYMENT_ROLES) {
			const pod = deploymentOf(role).spec.template.spec;
			const [c] = pod.containers;
			const shutdownMs = loadConfig({ ...containerEnv(c), SERVICES: "auth" }).SHUTDOWN_TIMEOUT;
			const preStop = c.lifecycle?.preStop?.exec?.command;
			const preStopMs = preStop?.[0] === "sleep" ? Number(preStop[1]) * 1000 : 0;
			// The preStop wait, then in-flight requests, then the services' own stop (an execution node's steps): each up to SHUTDOWN_TIMEOUT.
			expect({ role, enough: (pod.terminationGracePeriodSeconds ?? 30) * 1000 > preStopMs + 2 * shutdownMs }).toEqual({ role, enough: true });
		}
	});

	it("autoscales the gateway and execution roles, and every HPA targets a Deployment here", () => {
		const hpas = ofKind<{ spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>("HorizontalPodAutoscaler");
		expect(hpas.map(h => h.spec.scaleTargetRef.name).sort()).toEqual(["cognitionos-execution", "cognitionos-gateway"]);
		for (const h of hpas) {
			expect(h.spec.scaleTargetRef.kind).toBe("Deployment");
			expect(deployments.some(d => d.metadata.name === h.spec.scaleTargetRef.name)).toBe(true);
			expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
			expect(h.spec.maxReplicas).toBeGreaterThan(h.spec.minReplicas);
			// CPU utilization is measured against the request.
			const target = deployments.find(d => d.metadata.name === h.spec.scaleTargetRef.name)!;
			expect(target.spec.template.spec.containers[0].resources?.requests?.cpu).toBeTruthy();
		}
	});

	it("budgets disruptions of every role, leaving at least one pod of each running", () => {
		const pdbs = ofKind<{ spec: { maxUnavailable?: number; minAvailable?: number; selector: { matchLabels: Record<string, string> } } }>("PodDisruptionBudget");
		for (const d of deployments) {
			const pdb = pdbs.filter(p => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels));
			expect({ deployment: d.metadata.name, budgets: pdb.length }).toEqual({ deployment: d.metadata.name, budgets: 1 });
			expect(pdb[0].spec.maxUnavailable ?? d.spec.replicas - (pdb[0].spec.minAvailable ?? 0)).toBeLessThan(d.spec.replicas);
		}
	});

	it("exposes the gateway through a Service and an Ingress that keeps WebSockets open", () => {
		const [service] = ofKind<{ spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] } }>("Service");
		expect(matches(service.spec.selector, deploymentOf("gateway").spec.template.metadata.labels)).toBe(true);
		const [ingress] = ofKind<{ metadata: { annotations: Record<string, string> }; spec: { rules: { http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[] } }>("Ingress");
		const backend = ingress.spec.rules[0].http.paths[0].backend.service;
		expect(backend.name).toBe(service.metadata.name);
		expect(service.spec.ports.map(p => p.name)).toContain(backend.port.name);
		expect(Number(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"])).toBeGreaterThanOrEqual(3600);
		expect(Number(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"])).toBeGreaterThanOrEqual(3600);
		expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/affinity"]).toBe("cookie");
	});

	it("references only ConfigMaps, Secrets and service accounts defined here", () => {
		const names = (kind: string) => ofKind(kind).map(o => o.metadata.name);
		for (const { name, pod } of workloads) {
			expect({ name, account: names("ServiceAccount").includes(pod.spec.serviceAccountName ?? "default") }).toEqual({ name, account: true });
			for (const c of pod.spec.containers)
				for (const from of c.envFrom ?? []) {
					if (from.configMapRef) expect(names("ConfigMap")).toContain(from.configMapRef.name);
					if (from.secretRef) expect(names("Secret")).toContain(from.secretRef.name);
				}
		}
	});

	it("sets only variables the configuration knows, and secrets only in the Secret, whose template holds no value", () => {
		const unknown = (keys: string[]) => keys.filter(k => !SETTING_NAMES.has(k));
		expect(unknown(Object.keys(configMap.data))).toEqual([]);
		expect(unknown(Object.keys(secret.stringData))).toEqual([]);
		for (const { name, pod } of workloads) for (const c of pod.spec.containers) expect({ name, unknown: unknown((c.env ?? []).map(e => e.name)) }).toEqual({ name, unknown: [] });
		expect(Object.keys(configMap.data).filter(isSecretSetting)).toEqual([]);
		expect(Object.values(secret.stringData).filter(v => v !== "")).toEqual([]);
	});

	it("gives every role and the Job a configuration that loads once the Secret is filled in, and none before", () => {
		for (const { role, services } of DEPLOYMENT_ROLES) {
			const [c] = deploymentOf(role).spec.template.spec.containers;
			// A service still being built is left out of SERVICES here; everything else must load.
			const env = { ...containerEnv(c), SERVICES: services.filter(isShipped).join(",") || "auth" };
			const config = loadConfig(env);
			expect({ role, mode: config.mode, database: new URL(config.database.url).host }).toEqual({ role, mode: "cluster", database: "cognitionos-db-rw:5432" });
			expect(() => loadConfig({ ...env, ...secret.stringData })).toThrow(/SECURITY_SECRET_KEY/);
		}
		expect(() => loadConfig(containerEnv(job.spec.template.spec.containers[0]))).not.toThrow();
	});
});
