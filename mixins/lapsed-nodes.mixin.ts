import type { Context, Service, ServiceSchema } from "moleculer";

interface LapsedNodesThis extends Service {
	forgetNodes(nodeIDs: string[]): void;
}

/**
 * Nodes whose step leases lapsed (the sweeper broadcasts `engine.nodes.lapsed`: the node is
 * dead or frozen) are treated as gone at once, as their heartbeat timeout would a few seconds
 * later: balanced events and calls skip them, and calls in flight to them are rejected (and
 * retried on another node) instead of waiting for their timeout. A node that was only stuck
 * is found again by Moleculer at its next heartbeat. Execution nodes (their steps) and
 * gateways (their requests) both listen.
 */
export const LapsedNodesMixin: Partial<ServiceSchema> = {
	events: {
		"engine.nodes.lapsed": {
			params: { node_ids: { type: "array", items: "string" } },
			handler(this: LapsedNodesThis, ctx: Context<{ node_ids: string[] }>) {
				this.forgetNodes(ctx.params.node_ids);
			}
		}
	},
	methods: {
		forgetNodes(this: LapsedNodesThis, nodeIDs: string[]) {
			for (const nodeID of nodeIDs) {
				if (nodeID === this.broker.nodeID || !this.broker.registry.nodes.get(nodeID)?.available) continue;
				// `node_id` is this node's on every line; the lapsed one has a key of its own.
				this.logger.warn({ lapsed_node_id: nodeID }, "A node stopped renewing its step leases: nothing goes to it until it is heard from again");
				this.broker.registry.nodes.disconnected(nodeID, true);
			}
		}
	}
};
