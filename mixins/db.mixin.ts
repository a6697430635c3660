import type { Context, Service, ServiceBroker, ServiceSchema } from "moleculer";
import DbService from "moleculer-db";
import SequelizeAdapter from "moleculer-db-adapter-sequelize";
import type { ModelStatic, Model, Sequelize } from "sequelize";
import type { Database } from "../lib/db";
import { runtimeOf, type Runtime } from "../lib/runtime";

export type ModelFactory = (sequelize: Sequelize) => ModelStatic<Model>;

/**
 * moleculer-db's Sequelize adapter on the process's one shared, migrated Sequelize
 * instance: it never syncs (migrations own the schema) and never closes the shared
 * connection (the runtime does, after every service has stopped).
 */
class SharedSequelizeAdapter extends SequelizeAdapter {
	private readonly runtime: Runtime;
	private readonly modelFactory: ModelFactory;
	declare db: Sequelize;
	declare model: ModelStatic<Model>;
	declare service: Service & { model?: ModelStatic<Model>; database?: Database };

	constructor(runtime: Runtime, modelFactory: ModelFactory) {
		super({});
		this.runtime = runtime;
		this.modelFactory = modelFactory;
	}

	/** The model comes from the factory at connect time, not from the schema. */
	override init(broker: ServiceBroker, service: Service): void {
		(this as unknown as { broker: ServiceBroker }).broker = broker;
		this.service = service;
	}

	override async connect(): Promise<void> {
		const database = await this.runtime.database();
		this.db = database.sequelize;
		this.model = this.modelFactory(this.db);
		this.service.model = this.model;
		this.service.database = database;
	}

	override async disconnect(): Promise<void> {}
}

export interface DbMixinMethods {
	/** Empties this service's cached actions on every node (after a change). */
	clearCache(): Promise<void>;
}

export interface DbMixinVars {
	/** The shared database; set once the service has started. */
	database: Database;
	model: ModelStatic<Model>;
}

/**
 * Gives a service its main model through moleculer-db (the adapter, cache cleaning
 * across nodes on change) and the shared Database for transactions. moleculer-db's
 * generic CRUD actions are switched off: each service publishes only what it means to.
 */
export function DbMixin(modelFactory: ModelFactory): Partial<ServiceSchema> & { merged(schema: ServiceSchema): void } {
	return {
		mixins: [DbService as unknown as Partial<ServiceSchema>],
		settings: { idField: "id" } as ServiceSchema["settings"],
		actions: { find: false, count: false, list: false, create: false, insert: false, get: false, update: false, remove: false },
		merged(this: Service, schema: ServiceSchema) {
			(schema as ServiceSchema & { adapter: unknown }).adapter = new SharedSequelizeAdapter(runtimeOf(this.broker), modelFactory);
			// moleculer-db broadcasts `cache.clean.<service>` on change; every instance empties its own cache.
			schema.events = {
				...schema.events,
				[`cache.clean.${schema.name}`]: {
					handler(this: Service, _ctx: Context) {
						return this.broker.cacher?.clean(`${schema.name}.**`);
					}
				}
			};
		}
	};
}
