/**
 * Generated from the served OpenAPI document (GET /openapi.json) by openapi-typescript.
 * Do not edit: run `npm run client:types` after changing a route.
 */
export interface paths {
    "/api/v3/admin/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prune ended runs now
         * @description Archives (gzipped JSON lines under EXECUTION_ARCHIVE_DIR, one closed file per batch) and deletes every run that ended more than `older_than` ago (and past its workflow's own `retention`, when it has one: `forever` keeps), with its steps, agent journal, captured LLM calls and sub-workflow runs, in batches of EXECUTION_PRUNE_BATCH; then published outbox rows, events, processed-event records, notifications and agent threads older than that, and audit rows older than AUDIT_RETENTION. Answers when done. The elected node does the same on its own every EXECUTION_PRUNE_INTERVAL, with each run's retention.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        post: operations["execution.prune"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the audit log
         * @description Who did what, to what, when and from where: workflow definitions and status changes, executions started and cancelled, approvals, registrations, sign-ins, user changes and API keys. Newest first; `since` (inclusive) and `until` (exclusive) are ISO 8601 times. 50 entries a page by default.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["event-bus.audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's API keys
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["auth.listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description For the signed-in user (not with another API key). The key is in the answer once; only its prefix is kept readable.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        post: operations["auth.createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Your own keys; admins may revoke anyone's.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        delete: operations["auth.revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description Exchanges email and password for an access token and a refresh token. Repeated failures are throttled per email and per client address.
         *
         *     No credentials needed.
         */
        post: operations["auth.login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Revokes the session (every refresh token of its family). Access tokens already issued run until they expire.
         *
         *     No credentials needed.
         */
        post: operations["auth.logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["auth.me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate tokens
         * @description Spends a refresh token for a new pair. A refresh token works once: presenting a spent one revokes its whole session.
         *
         *     No credentials needed.
         */
        post: operations["auth.refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a user
         * @description Creates a user with the `user` role. The password needs at least 8 characters.
         *
         *     No credentials needed.
         */
        post: operations["auth.register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Oldest first; `q` filters by part of the email.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["auth.listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/auth/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user
         * @description Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["auth.getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user's roles, active flag or name
         * @description Deactivating a user revokes their sessions at once; the last active admin cannot lose the role.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        patch: operations["auth.updateUser"];
        trace?: never;
    };
    "/api/v3/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * LLM spend grouped by workflow, model, user or day
         * @description Model calls that answered, their prompt and completion tokens and their cost in USD between `from` and `to` (UTC days, inclusive; the last 30 days by default, at most 366 days), grouped by `group_by` (`day` by default). Every answered call of every run counts, captured (LLM_CAPTURE) or not, and stays counted after its run is pruned. Users see their own spend; admins see everyone's, or one user's with `user_id`. At most 1000 rows, the biggest cost first (by day: oldest first); `total` covers them all.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["event-bus.costs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List datasets
         * @description The caller's datasets, newest first (admins see everyone's), without their items.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["evals.datasetList"];
        put?: never;
        /**
         * Create a dataset
         * @description Items of `inputs` (a run's inputs) and, optionally, `expected` (what its outputs should be, for scorers to compare with), given in one of three ways: `items` (a list), `jsonl` (JSON lines, one `{inputs, expected?}` object a line; a bad line is a 422 naming its number), or `from_executions` (the caller's newest runs of `workflow_id`, of `workflow_version` if given, that ended with `status` (`completed` by default), at most `limit`: their inputs as items, their outputs as expected). At most EVAL_DATASET_MAX_ITEMS items, EVAL_DATASET_MAX_BYTES together.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["evals.datasetCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dataset
         * @description The dataset with its items.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["evals.datasetGet"];
        put?: never;
        post?: never;
        /**
         * Delete a dataset
         * @description Evals of it keep their items.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        delete: operations["evals.datasetDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/evals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List evals
         * @description The caller's evals, newest first (admins see everyone's), without their items: status, progress and, once completed, each scorer's aggregate. Narrowed by `workflow_id`, `workflow_version` and `status`.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["evals.evalList"];
        put?: never;
        /**
         * Start an eval
         * @description Runs the workflow version once per dataset item (as the caller, EVAL_CONCURRENCY at a time) and scores each finished run's outputs against the item's `expected` with every scorer: `exact` (deep equality), `contains` (`text`, else `expected`, found in the outputs' text; `path` narrows both; `ignore_case`), `json_schema` (`schema` holds), `jsonata` (`expression` over `{outputs, expected, inputs}` giving a number from 0 to 1 or true/false, evaluated like a transform step), `llm_judge` (a model grades against `rubric`). A run that fails scores 0. Follow it with GET /evals/{id}.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["evals.evalCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/evals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an eval
         * @description `status` (running, completed, failed), progress, each item's run, outputs and scores, and per scorer the mean score in [0, 1].
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["evals.evalGet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/evals/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Compare two evals
         * @description Two evals (typically two versions of a workflow over one dataset) side by side: each scorer's aggregate in `a` and `b` and the difference (b − a), and each item's scores and outputs by position.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["evals.evalCompare"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events
         * @description The caller's events, newest first (admins see everyone's), each with the runs it started, the problems of workflows it could not start and the waits it completed.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["events.list"];
        put?: never;
        /**
         * Send an event
         * @description Stores the event durably and starts every active workflow of the caller whose `triggers` match it (the event's `data` becomes the run's inputs; a mismatch is recorded on the event as a problem), and completes the caller's `wait_for_event` steps it meets. An `id` the caller used before is a duplicate: nothing new happens (200).
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["events.publish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List dead letters
         * @description Events a handler could not handle, newest failure first; `dead` ones unless `status` says otherwise.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["event-bus.listDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events/dead-letters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dead letter
         * @description The event as it was sent, the headers it carried, its error and its tries.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["event-bus.getDeadLetter"];
        put?: never;
        post?: never;
        /**
         * Discard a dead letter
         * @description Marks it `discarded`: it is kept for the record but never replayed.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        delete: operations["event-bus.discardDeadLetter"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events/dead-letters/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a dead letter
         * @description Sends the event back to the handler that failed on it (only that one). Handled once in effect: a handler that already took the event does nothing again. If it fails again, it is tried again as any event is, and then becomes a new dead letter.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        post: operations["event-bus.replayDeadLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events/dead-letters/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay dead letters
         * @description Sends up to `limit` (100 by default) dead letters back to their handlers, oldest first, optionally only those of one handler or event type.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        post: operations["event-bus.replayDeadLetters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/events/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event bus status
         * @description The transport and whether it is connected, whether this node relays the outbox, the outbox's backlog, the dead letters waiting, and each handler with the events it takes.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["event-bus.status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/hooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List inbound webhooks
         * @description The caller's inbound webhooks, newest first (admins see everyone's); never their secrets.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["events.listHooks"];
        put?: never;
        /**
         * Create an inbound webhook
         * @description A URL (`/api/v3/hooks/{id}`) a sender POSTs to: each request, verified on its raw body by `verify` (`github`: X-Hub-Signature-256; `stripe`: Stripe-Signature with a timestamp tolerance; `standard-webhooks`: webhook-id/timestamp/signature; `hmac-sha256`: ours, X-CognitionOS-Signature over `<X-CognitionOS-Timestamp>.<body>`; or `none`, explicitly), becomes an event named `event` (a JSON body is its data, another body `{raw}`), deduplicated by the sender's delivery id. Without `secret` one is made (a stripe hook needs the secret Stripe issued).
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["events.createHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/hooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an inbound webhook
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["events.getHook"];
        put?: never;
        /**
         * Deliver to an inbound webhook
         * @description For the sender (GitHub, Stripe, a Standard Webhooks sender, another CognitionOS, …): verified on the raw body by the hook's scheme; a bad or missing signature (or a signed timestamp outside HOOK_SIGNATURE_TOLERANCE) is a 401 and nothing is stored. A valid delivery is stored as an event before the answer; the same delivery id again is a duplicate (200).
         *
         *     No credentials needed.
         */
        post: operations["events.receiveHook"];
        /**
         * Delete an inbound webhook
         * @description Its URL answers 404 from now on; the events it received stay.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        delete: operations["events.deleteHook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/hooks/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an inbound webhook's secret
         * @description A new secret (made, or the one given); the old one is still accepted for `grace` (a duration, HOOK_SECRET_GRACE by default, at most 7 days), so the sender can be switched over without losing a delivery.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["events.rotateHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's notifications
         * @description Newest first: one for each of the caller's executions that completed (`info`) or failed (`alert`); only unread ones with `unread=true`.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["event-bus.notifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a notification read
         * @description Idempotent: the first read time stays.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        post: operations["event-bus.readNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark every notification read
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        post: operations["event-bus.readAllNotifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List secrets
         * @description The caller's secrets and the shared ones, by name; never their values.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["workflow.secretList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/secrets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a secret's metadata
         * @description Whether the secret exists, and when it was set; never its value. `shared=true` reads the shared one of that name.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["workflow.secretGet"];
        /**
         * Set a secret
         * @description Stores `value` encrypted (AES-256-GCM) under the caller's name, or with `shared: true` (admins only) for every user's steps; steps read it as `${{ secrets.NAME }}` in their params, resolved only while the step runs. The value is never answered, and it is masked (`***`) wherever a run would write it: step outputs and errors, agent journals, LLM transcripts, events, logs.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        put: operations["workflow.secretPut"];
        post?: never;
        /**
         * Delete a secret
         * @description Steps that read it fail from their next attempt on (`secret_missing`). `shared=true` (admins only) deletes the shared one.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        delete: operations["workflow.secretDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/threads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a conversation thread
         * @description The messages (tool calls and results included) an agent step with `thread` continues from, newest last. Capped: past 200 messages or 256 KiB the oldest turns are dropped (`dropped` counts them).
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.threadGet"];
        put?: never;
        post?: never;
        /**
         * Delete a conversation thread
         * @description The next run of an agent step with this thread starts a new conversation.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        delete: operations["execution.threadDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's usage
         * @description Executions started, completed and failed, tokens and cost per UTC day between `from` and `to` (inclusive; the last 30 days by default), with their totals. Admins may name another user with `user_id`.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["event-bus.usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/usage/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage per user
         * @description Every user's totals between `from` and `to` (inclusive; the last 30 days by default), the biggest spenders first.
         *
         *     Needs the `admin` role (an API key needs the `admin` scope).
         */
        get: operations["event-bus.usageByUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks
         * @description The caller's webhooks, newest first (admins see everyone's, or one owner's with `owner_id`).
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["webhooks.list"];
        put?: never;
        /**
         * Register a webhook
         * @description Deliveries of the chosen events (all three by default) of every execution of one of the caller's workflows are POSTed to `url`, signed with the webhook's secret (X-CognitionOS-Signature: `sha256=` HMAC-SHA256 over `<X-CognitionOS-Timestamp>.<body>`) and tried again with backoff until one gets a 2xx or WEBHOOK_MAX_ATTEMPTS tries are used up. Private and local addresses are refused unless listed in STEP_HTTP_ALLOWED_HOSTS.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["webhooks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a webhook
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["webhooks.get"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook
         * @description With its delivery log; deliveries not yet sent are dropped.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        delete: operations["webhooks.remove"];
        options?: never;
        head?: never;
        /**
         * Change a webhook
         * @description Only the fields sent change. A disabled webhook gets no new deliveries, and its pending ones are cancelled.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        patch: operations["webhooks.update"];
        trace?: never;
    };
    "/api/v3/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook's delivery log
         * @description Newest first: each delivery's status, tries (with the receiver's status code, error and duration each time) and the body sent.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["webhooks.deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/webhooks/{id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description A delivered, failed or cancelled delivery is sent again from its first try (same id, so receivers can deduplicate); a pending one is already on its way and stays as it is.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["webhooks.redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook's secret
         * @description A new signing secret takes effect at once for every try from now on; the old one stops verifying.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["webhooks.rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List workflows
         * @description The caller's workflow versions, newest change first (admins see everyone's, or one owner's with `owner_id`).
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["workflow.list"];
        put?: never;
        /**
         * Create a workflow version
         * @description Posts a definition as JSON (the summary's `workflow_id/version/steps[step_id, depends_on, inputs]` or the DSL's field names) or as the YAML DSL (`Content-Type: application/yaml`). Every problem is reported at once with its path. Re-posting identical content is idempotent (200); different content under an existing id and version is 409. A step reading a secret (`${{ secrets.NAME }}`) that does not exist yet is stored, with a `warnings` entry naming it: the step fails at run time unless the secret is set first.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["workflow.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/{workflow_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Versions of a workflow
         * @description Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["workflow.versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/{workflow_id}/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a workflow version
         * @description The normalized definition; with `format=yaml`, the YAML DSL (`application/yaml`), which re-imports to the same model.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["workflow.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/{workflow_id}/{version}/statistics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-step statistics of a workflow version
         * @description For each step of the definition: completions, duration (mean, min, max, total), tries, tokens and cost, from its completed runs. Admins may read another owner's with `owner_id`.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["event-bus.statistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/{workflow_id}/{version}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change a workflow version's lifecycle status
         * @description draft → active → deprecated → archived (deprecated may become active again; archived is final). Only active versions can be executed.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["workflow.setStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Execute a workflow
         * @description Starts an execution of an active workflow version with the given inputs (checked and coerced against its declarations). An `Idempotency-Key` header returns the same execution when a client retries. A workflow with flow control may answer a `queued` run (it starts when its concurrency or rate-limit key has room), or, with a debounce, the run waiting out its quiet period, now with these inputs. `priority` (-100 to 100, default the workflow's) orders queued runs.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.execute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List executions
         * @description The caller's executions, newest first (admins see everyone's).
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an execution
         * @description Status, progress (0–100), inputs, outputs, error, usage, and every step's status, output, error and attempts.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an execution
         * @description Unfinished steps are cancelled and running attempts aborted on every node.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/fork": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fork an execution from a step (replay)
         * @description Starts a new execution of the run's workflow that reuses the recorded outputs of every step that does not depend on `from_step` (they are not run again) and runs `from_step` and its dependents, with `inputs` instead of the run's when given, and on another `version` of the same workflow when given (steps are matched by id). The run must have ended. The new run records `forked_from`.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.fork"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/llm-calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An execution's LLM calls
         * @description Each model call of the run's steps (ai_generate, agent turns), in order: the messages sent, the answer's text and tool calls, usage, cost, latency, provider and model, or the error. Kept only when LLM_CAPTURE is on or the workflow says `llm_capture: true`; secrets are masked and texts past LLM_CAPTURE_MAX_BYTES are cut (`truncated`). Pruned and archived with the run.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.llmCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a failed execution
         * @description Runs a failed or cancelled execution again from the steps that did not finish; completed steps keep their outputs.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/signals/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a signal to an execution
         * @description Delivers `data` to the run's first `wait_for_event` step waiting for `event: name` whose match it meets; a signal that arrives before such a wait begins is kept for the run and taken by the wait when it begins. The wait's output is `{id, name, data, received_at}`. An `Idempotency-Key` header makes a retried signal a duplicate (200) instead of a second signal.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.signal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/steps/{step_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get one step of an execution
         * @description The step with its whole output: what an execution's answer leaves out when its outputs together pass EXECUTION_VIEW_MAX_BYTES (it names them in `omitted`).
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.step"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/steps/{step_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a waiting step
         * @description Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.approve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/steps/{step_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a waiting step
         * @description The step fails (type `rejected`), and with it the execution.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.reject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/{id}/steps/{step_id}/transcript": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An agent step's transcript
         * @description The agent's journal in order: the conversation it began with, each model turn (text, tool calls, usage, cost), each finished tool call (result or error, duration, child execution), approval requests and decisions.
         *
         *     Needs a signed-in user or an API key with the `read` scope (any role).
         */
        get: operations["execution.transcript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/workflows/executions/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel, retry or fork many executions
         * @description Applies `action` to the runs `filter` selects, oldest first, at most `limit` (≤ 500) per call: the caller's runs (admins: everyone's, or one owner's with `filter.owner_id`). `fork` needs `from_step` (and takes `inputs`, `version` as a single fork does). Each run's result is reported; one that does not apply (a cancel of a run that has ended) does not stop the others.
         *
         *     Needs the `user` or `admin` role (an API key needs the `write` scope).
         */
        post: operations["execution.bulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health of this node and its dependencies
         * @description Real checks of the database, NATS, Redis and RabbitMQ as configured (a dependency that is not configured is `not_configured`), and of the data directory's free space embedded. `degraded` (200) names what is down without stopping the node (Redis, RabbitMQ, a disk that is nearly full); `unhealthy` (503) means the database or, in a cluster, NATS is down; `starting` (503) that the routes are not built yet.
         *
         *     No credentials needed.
         */
        get: operations["api.health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers while the process runs; checks nothing else.
         *
         *     No credentials needed.
         */
        get: operations["api.live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description Ready when the database and (in a cluster) NATS answer and the routes are built, with Redis or RabbitMQ down too (listed in `degraded`); 503 as soon as the node starts draining.
         *
         *     No credentials needed.
         */
        get: operations["api.ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AgentTranscript */
        AgentTranscript: {
            entries: ({
                /** Format: date-time */
                at: string;
                attempt: number;
                /** @enum {string} */
                kind: "start" | "turn" | "tool" | "approval_requested" | "approval";
                seq: number;
            } & {
                [key: string]: unknown;
            })[];
            execution_id: string;
            status: string;
            step_id: string;
        };
        /** ApiKey */
        ApiKey: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_used_at: string | null;
            name: string;
            prefix: string;
            /** Format: date-time */
            revoked_at: string | null;
            /** @description null: everything the key's user may do */
            scopes: ("read" | "write" | "admin")[] | null;
        };
        /** ApiKeyList */
        ApiKeyList: {
            api_keys: components["schemas"]["ApiKey"][];
        };
        /** AuditEntry */
        AuditEntry: {
            /** @description e.g. workflow.created, execution.started, auth.login */
            action: string;
            /** @description Who did it; null when no user did (an approval is named by details.decided_by) */
            actor: {
                /** @description From the users table at read time */
                email: string | null;
                id: string;
            } | null;
            client_ip: string | null;
            /** @description What the action changed; never a secret */
            details: Record<string, unknown>;
            /** @description The domain event the entry was made from */
            event_id: string;
            id: number;
            /** Format: date-time */
            occurred_at: string;
            resource: {
                id: string | null;
                /** @description workflow, execution, user, api_key, … */
                type: string;
            };
        };
        /** AuditPage */
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** BulkResult */
        BulkResult: {
            /** @enum {string} */
            action: "cancel" | "retry" | "fork";
            failed: number;
            /** @description Runs the filter selected (at most `limit`) */
            matched: number;
            results: {
                /** @description Why the operation did not apply to this run (it had already ended, it is still running, …) */
                error?: string;
                execution_id: string;
                /** @description fork: the new run */
                new_execution_id?: string;
                ok: boolean;
                /** @description The run's status after the operation (a fork: the new run's) */
                status?: string;
            }[];
            succeeded: number;
        };
        /** CostReport */
        CostReport: {
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            from: string;
            /** @enum {string} */
            group_by: "workflow" | "model" | "user" | "day";
            /** @description One row per group with any spend: the biggest cost first (by day: oldest first), at most 1000 */
            rows: {
                /** @description Model calls that answered */
                calls: number;
                /** @description USD, priced when the call answered (LLM_PRICING) */
                cost_usd: number;
                /** @description Prompt tokens */
                input_tokens: number;
                /** @description The workflow id, the model, the user id or the day (YYYY-MM-DD) */
                key: string;
                /** @description Completion tokens */
                output_tokens: number;
            }[];
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            to: string;
            /** @description Over the whole range and scope, rows past the cap included */
            total: {
                /** @description Model calls that answered */
                calls: number;
                /** @description USD, priced when the call answered (LLM_PRICING) */
                cost_usd: number;
                /** @description Prompt tokens */
                input_tokens: number;
                /** @description Completion tokens */
                output_tokens: number;
            };
        };
        /** Created */
        Created: {
            id: string;
        };
        /** Dataset */
        Dataset: {
            /** Format: date-time */
            created_at: string;
            id: string;
            item_count: number;
            items: {
                expected?: unknown;
                inputs: Record<string, unknown>;
            }[];
            name: string;
            owner_id: string;
        };
        /** DatasetPage */
        DatasetPage: {
            datasets: components["schemas"]["DatasetSummary"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** DatasetSummary */
        DatasetSummary: {
            /** Format: date-time */
            created_at: string;
            id: string;
            item_count: number;
            name: string;
            owner_id: string;
        };
        /** DeadLetter */
        DeadLetter: {
            attempts: number;
            error: {
                message: string;
                /** @description e.g. malformed_event, or the database's error code */
                type: string;
            };
            /** @description null when the message was not a readable event */
            event_id: string | null;
            event_type: string | null;
            /** Format: date-time */
            failed_at: string;
            /** @description The handler that could not handle the event */
            handler: string;
            /** @description The message headers it carried (x-handler, x-attempts, x-error-message, …) */
            headers: Record<string, unknown>;
            id: string;
            /** Format: date-time */
            next_attempt_at: string | null;
            /** @description The event as JSON; the message body as text when it was not JSON */
            payload: unknown;
            replay_count: number;
            /** Format: date-time */
            replayed_at: string | null;
            /**
             * @description retrying (in-process, its next try is due at next_attempt_at), dead, replayed or discarded
             * @enum {string}
             */
            status: "retrying" | "dead" | "replayed" | "discarded";
        };
        /** DeadLetterPage */
        DeadLetterPage: {
            dead_letters: components["schemas"]["DeadLetter"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** DeadLettersReplayed */
        DeadLettersReplayed: {
            /** @description Dead letters sent back to their handlers */
            replayed: number;
        };
        /** @description Every error answer of the API */
        Error: {
            /** @description Only with API_DEBUG: the internal error of a 5xx */
            debug?: Record<string, unknown>;
            /** @description For validation errors, the problems by field; otherwise what the error carries */
            detail?: components["schemas"]["FieldProblem"][] | Record<string, unknown>;
            /** @description Stable, machine-readable kind (validation_error, not_found, invalid_token, …) */
            error: string;
            /** @description What went wrong, for people */
            message: string;
            /** @description Finds this request in the logs and traces */
            trace_id: string;
        };
        /** Eval */
        Eval: {
            /** @description Per scorer, the mean score of the items scored so far (of all items once completed) */
            aggregates: {
                [key: string]: number;
            };
            /** Format: date-time */
            completed_at: string | null;
            /** Format: date-time */
            created_at: string;
            dataset_id: string;
            error: string | null;
            id: string;
            items: {
                error: string | null;
                execution_id: string | null;
                expected: unknown;
                inputs: Record<string, unknown>;
                outputs: unknown;
                position: number;
                /** @description How the item's run ended, once scored */
                run_status: string | null;
                /** @description Per scorer, once the run ended */
                scores: {
                    [key: string]: {
                        error?: string;
                        reason?: string;
                        score: number;
                    };
                } | null;
            }[];
            owner_id: string;
            progress: {
                items: number;
                scored: number;
            };
            scorers: ({
                name: string;
                type: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @enum {string} */
            status: "running" | "completed" | "failed";
            workflow_id: string;
            workflow_version: string;
        };
        /** EvalComparison */
        EvalComparison: {
            /** @description Eval a, without its items */
            a: {
                [key: string]: unknown;
            };
            /** @description Eval b, without its items */
            b: {
                [key: string]: unknown;
            };
            /** @description Items side by side by position */
            items: {
                a: null | {
                    [key: string]: unknown;
                };
                b: null | {
                    [key: string]: unknown;
                };
                expected: unknown;
                inputs: unknown;
                position: number;
            }[];
            /** @description Each scorer name either eval has: its aggregate in a and in b, and b minus a */
            scorers: {
                a: number | null;
                b: number | null;
                delta: number | null;
                name: string;
            }[];
        };
        /** EvalPage */
        EvalPage: {
            evals: components["schemas"]["EvalSummary"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** EvalSummary */
        EvalSummary: {
            /** @description Per scorer, the mean score once completed; null before */
            aggregates: null | {
                [key: string]: number;
            };
            /** Format: date-time */
            completed_at: string | null;
            /** Format: date-time */
            created_at: string;
            dataset_id: string;
            error: string | null;
            id: string;
            owner_id: string;
            progress: {
                items: number;
                scored: number;
            };
            scorers: ({
                name: string;
                type: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @enum {string} */
            status: "running" | "completed" | "failed";
            workflow_id: string;
            workflow_version: string;
        };
        /** Event */
        Event: {
            /** @description The wait that took a signal (execution_id/step_id); null while it is kept */
            consumed_by: string | null;
            data: unknown;
            /** @description The wait_for_event steps it completed */
            delivered_to: {
                execution_id: string;
                step_id: string;
            }[];
            event_id: string;
            /** @description A signal's execution */
            execution_id: string | null;
            hook_id: string | null;
            name: string;
            /** @description Workflows whose trigger matched but that could not start, and why */
            problems: {
                detail?: unknown;
                message: string;
                /** @enum {string} */
                type: "invalid_inputs" | "filter_error" | "queue_full";
                workflow_id: string;
                workflow_version: string;
            }[];
            /** Format: date-time */
            received_at: string;
            /** @description The runs its triggers started */
            runs: {
                /** Format: uuid */
                execution_id: string;
                /**
                 * @description started now, queued by flow control, or debounced into a waiting run
                 * @enum {string}
                 */
                status: "started" | "queued" | "debounced";
                workflow_id: string;
                workflow_version: string;
            }[];
            /** @enum {string} */
            source: "api" | "webhook" | "signal";
        };
        /** EventBusStatus */
        EventBusStatus: {
            /** @description Whether the transport can publish now (always true in-process) */
            connected: boolean;
            /** @description Dead letters waiting for a replay or a discard */
            dead_letters: number;
            /** @description The RabbitMQ topic exchange; null in-process */
            exchange: string | null;
            handlers: {
                events: string[];
                name: string;
                /** @description Its durable queue; null in-process */
                queue: string | null;
            }[];
            outbox: {
                /** @description Age of the oldest unpublished event */
                lag_seconds: number;
                /** @description Events not yet published */
                pending: number;
            };
            /** @description Whether this node holds the lock of the outbox relay */
            relay_leader: boolean;
            /**
             * @description amqp with RABBITMQ_URL, else in-process
             * @enum {string}
             */
            transport: "amqp" | "in-process";
        };
        /** EventPage */
        EventPage: {
            events: components["schemas"]["Event"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** EventReceived */
        EventReceived: {
            /** @description The wait_for_event steps it completed */
            delivered_to?: {
                execution_id: string;
                step_id: string;
            }[];
            duplicate: boolean;
            event_id: string;
            /** @description Workflows whose trigger matched but that could not start, and why */
            problems?: {
                detail?: unknown;
                message: string;
                /** @enum {string} */
                type: "invalid_inputs" | "filter_error" | "queue_full";
                workflow_id: string;
                workflow_version: string;
            }[];
            /** Format: date-time */
            received_at?: string;
            /** @description The runs its triggers started */
            runs?: {
                /** Format: uuid */
                execution_id: string;
                /**
                 * @description started now, queued by flow control, or debounced into a waiting run
                 * @enum {string}
                 */
                status: "started" | "queued" | "debounced";
                workflow_id: string;
                workflow_version: string;
            }[];
        };
        /** Execution */
        Execution: {
            /** Format: date-time */
            completed_at: string | null;
            /** Format: date-time */
            created_at: string;
            error: {
                attempt?: number;
                message: string;
                step_id?: string;
                type: string;
            } | null;
            /** @description The event that started the run (the last of a debounced burst) */
            event_id: string | null;
            /** Format: uuid */
            execution_id: string;
            /** @description The execution this one was forked from (POST …/executions/{id}/fork): it reused that run's outputs of the steps before the fork's step */
            forked_from: string | null;
            inputs: Record<string, unknown> | null;
            omitted?: string[];
            outputs: Record<string, unknown> | null;
            /** Format: uuid */
            owner_id: string;
            parent_execution_id: string | null;
            parent_step_id: string | null;
            /** @description Higher first when flow-control slots are scarce */
            priority: number;
            progress: number;
            /** Format: date-time */
            started_at: string | null;
            /** @enum {string} */
            status: "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
            steps: {
                approval: {
                    /** Format: date-time */
                    at: string;
                    by: string;
                    comment: string | null;
                    /** @enum {string} */
                    decision: "approved" | "rejected";
                } | null;
                attempts: number;
                child_execution_id: string | null;
                /** Format: date-time */
                completed_at: string | null;
                depends_on: string[];
                /**
                 * Format: date-time
                 * @description When the wait ends: a timer's end, an approval's or an event wait's deadline; null when it has none
                 */
                due_at: string | null;
                error: {
                    attempt?: number;
                    message: string;
                    step_id?: string;
                    type: string;
                } | null;
                name: string;
                output: unknown;
                /** Format: date-time */
                started_at: string | null;
                /** @enum {string} */
                status: "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";
                step_id: string;
                type: string;
                usage: {
                    completion_tokens: number;
                    cost_usd: number;
                    /** @description Milliseconds the step's LLM calls took, over all its attempts */
                    latency_ms?: number;
                    /** @description Model that answered the step's last LLM call */
                    model?: string;
                    prompt_tokens: number;
                    /** @description Provider of the step's last LLM call */
                    provider?: string;
                    total_tokens: number;
                } | null;
                /** @description The event a waiting wait_for_event step waits for */
                wait_event: string | null;
                /** @enum {string|null} */
                waiting_for: "approval" | "timer" | "sub_workflow" | "event" | null;
            }[];
            /** @enum {string} */
            trigger: "api" | "schedule" | "sub_workflow" | "event";
            usage: {
                completion_tokens: number;
                cost_usd: number;
                prompt_tokens: number;
                total_tokens: number;
            } | null;
            workflow_id: string;
            workflow_version: string;
        };
        /** ExecutionPage */
        ExecutionPage: {
            executions: components["schemas"]["ExecutionSummary"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** ExecutionSummary */
        ExecutionSummary: {
            /** Format: date-time */
            completed_at: string | null;
            /** Format: date-time */
            created_at: string;
            error: {
                attempt?: number;
                message: string;
                step_id?: string;
                type: string;
            } | null;
            /** @description The event that started the run (the last of a debounced burst) */
            event_id: string | null;
            /** Format: uuid */
            execution_id: string;
            /** @description The execution this one was forked from (POST …/executions/{id}/fork): it reused that run's outputs of the steps before the fork's step */
            forked_from: string | null;
            inputs: Record<string, unknown> | null;
            omitted?: string[];
            outputs: Record<string, unknown> | null;
            /** Format: uuid */
            owner_id: string;
            parent_execution_id: string | null;
            parent_step_id: string | null;
            /** @description Higher first when flow-control slots are scarce */
            priority: number;
            progress: number;
            /** Format: date-time */
            started_at: string | null;
            /** @enum {string} */
            status: "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
            /** @enum {string} */
            trigger: "api" | "schedule" | "sub_workflow" | "event";
            usage: {
                completion_tokens: number;
                cost_usd: number;
                prompt_tokens: number;
                total_tokens: number;
            } | null;
            workflow_id: string;
            workflow_version: string;
        };
        FieldProblem: {
            message: string;
            /** @description The field, e.g. steps[3].params.url */
            path: string;
        };
        /** HealthReport */
        HealthReport: {
            /** @enum {string} */
            database: "ok" | "down" | "not_configured";
            degraded: ("redis" | "rabbitmq" | "disk")[];
            /** @enum {string} */
            disk: "ok" | "low" | "not_checked";
            /** @enum {string} */
            mode: "embedded" | "cluster";
            /** @enum {string} */
            nats: "ok" | "down" | "not_configured";
            node_id: string;
            /** @enum {string} */
            rabbitmq: "ok" | "down" | "not_configured";
            /** @enum {string} */
            redis: "ok" | "down" | "not_configured";
            /** @enum {string} */
            status: "ok" | "degraded" | "unhealthy" | "starting";
            /** Format: date-time */
            timestamp: string;
            version: string;
        };
        /** Hook */
        Hook: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            event: string;
            /** Format: uuid */
            id: string;
            owner_id: string;
            /**
             * Format: date-time
             * @description Until when the secret before the last rotation is still accepted
             */
            previous_secret_valid_until: string | null;
            /** Format: date-time */
            updated_at: string;
            /** @description Where the sender POSTs: /api/v3/hooks/{id} (absolute when API_PUBLIC_URL is set) */
            url: string;
            /** @enum {string} */
            verify: "github" | "stripe" | "standard-webhooks" | "hmac-sha256" | "none";
        };
        /** HookDelivery */
        HookDelivery: {
            duplicate: boolean;
            event_id: string;
        };
        /** HookPage */
        HookPage: {
            hooks: components["schemas"]["Hook"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** HookWithSecret */
        HookWithSecret: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            event: string;
            /** Format: uuid */
            id: string;
            owner_id: string;
            /**
             * Format: date-time
             * @description Until when the secret before the last rotation is still accepted
             */
            previous_secret_valid_until: string | null;
            /** @description Shown only here: give it to the sender (null for verify none) */
            secret: string | null;
            /** Format: date-time */
            updated_at: string;
            /** @description Where the sender POSTs: /api/v3/hooks/{id} (absolute when API_PUBLIC_URL is set) */
            url: string;
            /** @enum {string} */
            verify: "github" | "stripe" | "standard-webhooks" | "hmac-sha256" | "none";
        };
        /** LlmCall */
        LlmCall: {
            /** Format: date-time */
            at: string;
            attempt: number;
            cost_usd: number | null;
            /** @description Why the call failed */
            error: string | null;
            id: number;
            latency_ms: number;
            /** @description The model that answered, as the provider names it */
            model: string | null;
            provider: string | null;
            /** @description What was sent: the conversation, the system prompt, the tools offered (by name), and the model, temperature and max_tokens asked for */
            request: {
                max_tokens: number | null;
                messages: ({
                    /** @enum {string} */
                    role: "system" | "user" | "assistant" | "tool";
                } & {
                    [key: string]: unknown;
                })[];
                model: string | null;
                system: string | null;
                temperature: number | null;
                tools: string[];
            };
            /** @description The answer; null when the call failed */
            response: {
                finish_reason: string | null;
                text: string;
                tool_calls: {
                    arguments: unknown;
                    id: string;
                    name: string;
                }[];
            } | null;
            /** @enum {string} */
            status: "completed" | "failed";
            step_id: string;
            /** @description Some text passed LLM_CAPTURE_MAX_BYTES and was cut, with a marker saying how much was left out */
            truncated: boolean;
            usage: {
                completion_tokens: number;
                prompt_tokens: number;
                total_tokens: number;
            } | null;
        };
        /** LlmCallPage */
        LlmCallPage: {
            llm_calls: components["schemas"]["LlmCall"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** NewApiKey */
        NewApiKey: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /** Format: uuid */
            id: string;
            /** @description The key itself: shown this once, never again */
            key: string;
            name: string;
            prefix: string;
            /** @description null: everything the key's user may do */
            scopes: ("read" | "write" | "admin")[] | null;
        };
        /** Notification */
        Notification: {
            /** Format: date-time */
            created_at: string;
            data: Record<string, unknown>;
            event_id: string;
            event_type: string;
            execution_id: string | null;
            /** Format: uuid */
            id: string;
            /**
             * @description alert for a failed execution
             * @enum {string}
             */
            kind: "info" | "alert";
            message: string;
            /** Format: date-time */
            read_at: string | null;
            title: string;
            user_id: string;
            workflow_id: string | null;
        };
        /** NotificationPage */
        NotificationPage: {
            notifications: components["schemas"]["Notification"][];
            page: number;
            page_size: number;
            total: number;
            /** @description The caller's unread notifications, whatever the filter */
            unread: number;
        };
        /** NotificationsRead */
        NotificationsRead: {
            /** @description Notifications that were unread */
            updated: number;
        };
        /** PruneReport */
        PruneReport: {
            /** @description The archive files written (names under EXECUTION_ARCHIVE_DIR) */
            archives: string[];
            /** @description Audit log rows deleted (past AUDIT_RETENTION) */
            audit: number;
            /** @description Events deleted */
            events: number;
            /** @description Runs archived and deleted (sub-workflow runs included) */
            executions: number;
            /** @description Notifications deleted */
            notifications: number;
            /** @description Published outbox rows deleted */
            outbox: number;
            /** @description Agent threads deleted */
            threads: number;
        };
        /** Readiness */
        Readiness: {
            /** @enum {string} */
            database?: "ok" | "down" | "not_configured";
            degraded?: ("redis" | "rabbitmq" | "disk")[];
            /** @enum {string} */
            disk?: "ok" | "low" | "not_checked";
            /** @enum {string} */
            mode?: "embedded" | "cluster";
            /** @enum {string} */
            nats?: "ok" | "down" | "not_configured";
            node_id?: string;
            /** @enum {string} */
            rabbitmq?: "ok" | "down" | "not_configured";
            /** @enum {string} */
            redis?: "ok" | "down" | "not_configured";
            routes?: boolean;
            /** @enum {string} */
            status: "ready" | "not_ready" | "draining";
            /** Format: date-time */
            timestamp?: string;
            version?: string;
        };
        /** RegisteredUser */
        RegisteredUser: {
            /** Format: email */
            email: string;
            full_name: string | null;
            roles: ("admin" | "user" | "viewer")[];
            /** Format: uuid */
            user_id: string;
        };
        /**
         * Secret
         * @description A secret's name and dates; its value is never answered
         */
        Secret: {
            /** Format: date-time */
            created_at: string;
            created_by: string | null;
            /** @description Id of the encryption key it is stored under (see SECRETS_ENCRYPTION_KEY rotation) */
            key_id: string;
            name: string;
            /** @description An admin's secret every user's steps may read (a user's own of the same name wins) */
            shared: boolean;
            /** Format: date-time */
            updated_at: string;
        };
        /** SecretList */
        SecretList: {
            secrets: components["schemas"]["Secret"][];
        };
        /** SignalReceived */
        SignalReceived: {
            delivered_to: {
                execution_id: string;
                step_id: string;
            }[];
            duplicate: boolean;
            event_id: string;
        };
        /** StepRun */
        StepRun: {
            approval: {
                /** Format: date-time */
                at: string;
                by: string;
                comment: string | null;
                /** @enum {string} */
                decision: "approved" | "rejected";
            } | null;
            attempts: number;
            child_execution_id: string | null;
            /** Format: date-time */
            completed_at: string | null;
            depends_on: string[];
            /**
             * Format: date-time
             * @description When the wait ends: a timer's end, an approval's or an event wait's deadline; null when it has none
             */
            due_at: string | null;
            error: {
                attempt?: number;
                message: string;
                step_id?: string;
                type: string;
            } | null;
            name: string;
            omitted?: string[];
            output: unknown;
            /** Format: date-time */
            started_at: string | null;
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";
            step_id: string;
            type: string;
            usage: {
                completion_tokens: number;
                cost_usd: number;
                /** @description Milliseconds the step's LLM calls took, over all its attempts */
                latency_ms?: number;
                /** @description Model that answered the step's last LLM call */
                model?: string;
                prompt_tokens: number;
                /** @description Provider of the step's last LLM call */
                provider?: string;
                total_tokens: number;
            } | null;
            /** @description The event a waiting wait_for_event step waits for */
            wait_event: string | null;
            /** @enum {string|null} */
            waiting_for: "approval" | "timer" | "sub_workflow" | "event" | null;
        };
        /** Thread */
        Thread: {
            /** Format: date-time */
            created_at: string;
            /** @description Messages dropped from the front to keep the thread under its cap */
            dropped: number;
            last_execution_id: string | null;
            message_count: number;
            messages: {
                content: string;
                is_error?: boolean;
                name?: string;
                /** @enum {string} */
                role: "user" | "assistant" | "tool";
                tool_call_id?: string;
                tool_calls?: {
                    arguments?: unknown;
                    id?: string;
                    name?: string;
                }[];
            }[];
            thread_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** TokenPair */
        TokenPair: {
            /** @description JWT for `Authorization: Bearer …` */
            access_token: string;
            /** @description Seconds the access token is valid */
            expires_in: number;
            /** @description Spend once at POST /api/v3/auth/refresh; reuse revokes the session */
            refresh_token: string;
            /** @constant */
            token_type: "bearer";
        };
        /** Usage */
        Usage: {
            /** @description The days with any usage, oldest first */
            days: {
                cost_usd: number;
                /**
                 * Format: date
                 * @description UTC day, YYYY-MM-DD
                 */
                day: string;
                executions: {
                    completed: number;
                    failed: number;
                    started: number;
                };
                tokens: {
                    completion: number;
                    prompt: number;
                    total: number;
                };
            }[];
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            from: string;
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            to: string;
            totals: {
                cost_usd: number;
                executions: {
                    completed: number;
                    failed: number;
                    started: number;
                };
                tokens: {
                    completion: number;
                    prompt: number;
                    total: number;
                };
            };
            user_id: string;
        };
        /** UsageByUserPage */
        UsageByUserPage: {
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            from: string;
            page: number;
            page_size: number;
            /**
             * Format: date
             * @description UTC day, YYYY-MM-DD
             */
            to: string;
            total: number;
            users: {
                cost_usd: number;
                email: string | null;
                executions: {
                    completed: number;
                    failed: number;
                    started: number;
                };
                tokens: {
                    completion: number;
                    prompt: number;
                    total: number;
                };
                user_id: string;
            }[];
        };
        /** UserPage */
        UserPage: {
            page: number;
            page_size: number;
            total: number;
            users: components["schemas"]["UserProfile"][];
        };
        /** UserProfile */
        UserProfile: {
            /** Format: date-time */
            created_at: string;
            /** Format: email */
            email: string;
            full_name: string | null;
            is_active: boolean;
            roles: ("admin" | "user" | "viewer")[];
            /** Format: date-time */
            updated_at: string;
            /** Format: uuid */
            user_id: string;
        };
        /** Webhook */
        Webhook: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            events: ("WorkflowExecutionStarted" | "WorkflowExecutionCompleted" | "WorkflowExecutionFailed")[];
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            owner_id: string;
            /** @enum {string} */
            status: "active" | "disabled";
            /** Format: date-time */
            updated_at: string;
            /** Format: uri */
            url: string;
            /** @description The caller's workflow (every version) whose executions are delivered */
            workflow_id: string;
        };
        /** WebhookDelivery */
        WebhookDelivery: {
            /** @description The last 50 tries, oldest first */
            attempt_log: {
                /** Format: date-time */
                at: string;
                attempt: number;
                duration_ms: number | null;
                error: string | null;
                status_code: number | null;
            }[];
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            delivered_at: string | null;
            event_id: string;
            /** @enum {string} */
            event_type: "WorkflowExecutionStarted" | "WorkflowExecutionCompleted" | "WorkflowExecutionFailed";
            execution_id: string | null;
            /**
             * Format: uuid
             * @description Also the Idempotency-Key and X-CognitionOS-Delivery of each try
             */
            id: string;
            /** Format: date-time */
            last_attempt_at: string | null;
            last_error: string | null;
            /** @description The receiver's last HTTP status; null when no answer came */
            last_status_code: number | null;
            /**
             * Format: date-time
             * @description When a pending delivery is tried next; null otherwise
             */
            next_attempt_at: string | null;
            /** @description The body sent: the event as JSON */
            payload: unknown;
            /**
             * @description pending until a try gets a 2xx (delivered) or the tries are used up (failed); cancelled when the webhook was disabled or deleted
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed" | "cancelled";
            /** Format: uuid */
            webhook_id: string;
        };
        /** WebhookDeliveryPage */
        WebhookDeliveryPage: {
            deliveries: components["schemas"]["WebhookDelivery"][];
            page: number;
            page_size: number;
            total: number;
        };
        /** WebhookPage */
        WebhookPage: {
            page: number;
            page_size: number;
            total: number;
            webhooks: components["schemas"]["Webhook"][];
        };
        /** WebhookWithSecret */
        WebhookWithSecret: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            events: ("WorkflowExecutionStarted" | "WorkflowExecutionCompleted" | "WorkflowExecutionFailed")[];
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            owner_id: string;
            /** @description Verifies X-CognitionOS-Signature (HMAC-SHA256 over `<timestamp>.<body>`); shown only here, never again */
            secret: string;
            /** @enum {string} */
            status: "active" | "disabled";
            /** Format: date-time */
            updated_at: string;
            /** Format: uri */
            url: string;
            /** @description The caller's workflow (every version) whose executions are delivered */
            workflow_id: string;
        };
        /** Workflow */
        Workflow: {
            budget: {
                max_cost_usd?: number | null;
                max_tokens?: number | null;
            } | null;
            /** @description At most `limit` runs of one key at once; the others wait (queued) */
            concurrency: {
                key: string | null;
                limit: number;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** @description Runs of one key wait `period` of quiet; the last of a burst runs */
            debounce: {
                key: string | null;
                period: string;
            } | null;
            description: string | null;
            /** Format: uuid */
            id: string;
            inputs: {
                default: unknown;
                description: string | null;
                name: string;
                required: boolean;
                /** @enum {string} */
                type: "string" | "integer" | "float" | "boolean" | "enum" | "json";
                values: string[] | null;
            }[];
            /** @description Keep its runs' model calls (GET /api/v3/workflows/executions/{id}/llm-calls) even when LLM_CAPTURE is off */
            llm_capture?: boolean;
            name: string;
            outputs: {
                description: string | null;
                name: string;
                type: ("string" | "integer" | "float" | "boolean" | "enum" | "json") | null;
                value: unknown;
                values: string[] | null;
            }[];
            /** Format: uuid */
            owner_id: string;
            /** @description Runs' default priority (higher first when flow-control slots are scarce) */
            priority: number;
            /** @description At most `limit` starts of one key per `period`; the others wait (queued) */
            rate_limit: {
                key: string | null;
                limit: number;
                period: string;
            } | null;
            /** @description How long ended runs are kept before they are archived and pruned ("30d", "forever"); absent: EXECUTION_RETENTION */
            retention?: string;
            /** @description cron expression */
            schedule: string | null;
            /** @description IANA time zone the schedule is read in (null: UTC) */
            schedule_timezone: string | null;
            /** @enum {string} */
            status: "draft" | "active" | "deprecated" | "archived";
            steps: {
                agent_capability: string | null;
                agent_role: string | null;
                approval_required: boolean | string;
                /** @description how long the step waits for its approval (a duration such as "1h"); null: a gate waits until decided, an approval step its timeout */
                approval_timeout: string | null;
                condition: string | null;
                depends_on: string[];
                id: string;
                name: string;
                params: Record<string, unknown>;
                retry: number;
                retry_delay: string;
                /** @description a duration such as "30s", or null for the engine default */
                timeout: string | null;
                /** @enum {string} */
                type: "transform" | "http_request" | "ai_generate" | "delay" | "approval" | "sub_workflow" | "map" | "wait_for_event";
            }[];
            tags: string[];
            /** @description Events that start a run, their data as its inputs */
            triggers: {
                event: string;
                filter: string | null;
            }[];
            /** Format: date-time */
            updated_at: string;
            version: string;
            /** @description What will fail at run time unless fixed first (a secret the steps read that does not exist yet) */
            warnings?: {
                message: string;
                path: string;
            }[];
            workflow_id: string;
        };
        /** WorkflowPage */
        WorkflowPage: {
            page: number;
            page_size: number;
            total: number;
            workflows: components["schemas"]["WorkflowSummary"][];
        };
        /** WorkflowStatistics */
        WorkflowStatistics: {
            owner_id: string;
            /** @description Every step of the definition, in its order; one that never completed shows zeros and nulls */
            steps: {
                attempts: {
                    mean: number | null;
                    /** @description Completions that needed more than one try */
                    retried: number;
                    total: number;
                };
                /** @description Completions of the step */
                completed: number;
                cost_usd: number;
                duration_ms: {
                    max: number | null;
                    mean: number | null;
                    min: number | null;
                    total: number;
                };
                /** Format: date-time */
                last_completed_at: string | null;
                step_id: string;
                step_type: string;
                tokens: {
                    completion: number;
                    prompt: number;
                    total: number;
                };
            }[];
            version: string;
            workflow_id: string;
        };
        /** WorkflowSummary */
        WorkflowSummary: {
            /** Format: date-time */
            created_at: string;
            description: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            owner_id: string;
            schedule: string | null;
            /** @enum {string} */
            status: "draft" | "active" | "deprecated" | "archived";
            step_count: number;
            tags: string[];
            /** @description The names of the events that start it */
            triggers: string[];
            /** Format: date-time */
            updated_at: string;
            version: string;
            workflow_id: string;
        };
        /** WorkflowVersions */
        WorkflowVersions: {
            versions: components["schemas"]["WorkflowSummary"][];
            workflow_id: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The client's X-Request-ID when well-formed, else a new one; on every log line of the request */
        RequestId: string;
        /** @description Seconds to wait before trying again */
        RetryAfter: number;
        /** @description Bearer, with error="invalid_token" when a token was refused */
        WwwAuthenticate: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "execution.prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "older_than": "30d"
                 *     }
                 */
                "application/json": {
                    older_than: string;
                };
            };
        };
        responses: {
            /** @description What was pruned */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PruneReport"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Needs the admin role */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `older_than` is not a duration */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.audit": {
        parameters: {
            query?: {
                /** @example auth.login */
                action?: string;
                actor_id?: string;
                /** @example 1 */
                page?: number;
                /** @example 50 */
                page_size?: number;
                resource_id?: string;
                resource_type?: string;
                /** @example 2026-01-01T00:00:00Z */
                since?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.listApiKeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first, revoked ones included */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.createApiKey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "CI pipeline",
                 *       "scopes": [
                 *         "read",
                 *         "write"
                 *       ],
                 *       "expires_in_days": 90
                 *     }
                 */
                "application/json": {
                    expires_in_days?: number | null;
                    name: string;
                    scopes?: ("read" | "write" | "admin")[] | null;
                };
            };
        };
        responses: {
            /** @description The new key */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewApiKey"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.revokeApiKey": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 7d8e1c52-6a38-4b8e-a1e6-2f0f0c6e9f41 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or already was) */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such key of yours */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct-horse-battery"
                 *     }
                 */
                "application/json": {
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Signed in */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Incorrect email or password */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The account is deactivated */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failed sign-ins; `Retry-After` says when to try again */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refresh_token": "eyJhbGciOiJIUzI1NiJ9.…"
                 *     }
                 */
                "application/json": {
                    refresh_token: string;
                };
            };
        };
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The refresh token is not valid */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's profile */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserProfile"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The user no longer exists */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refresh_token": "eyJhbGciOiJIUzI1NiJ9.…"
                 *     }
                 */
                "application/json": {
                    refresh_token: string;
                };
            };
        };
        responses: {
            /** @description A new token pair */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The refresh token is not valid, expired, spent or revoked */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "ada@example.com",
                 *       "password": "correct-horse-battery",
                 *       "full_name": "Ada Lovelace"
                 *     }
                 */
                "application/json": {
                    email: string;
                    full_name?: string | null;
                    password: string;
                };
            };
        };
        responses: {
            /** @description The new user */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredUser"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A user with this email already exists */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.listUsers": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of users */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.getUser": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 0b6f3c1e-8a4d-4f55-9a0e-3c2d1b7e6f10 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserProfile"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "auth.updateUser": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 0b6f3c1e-8a4d-4f55-9a0e-3c2d1b7e6f10 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "full_name": "Ada King"
                 *     }
                 */
                "application/json": {
                    full_name?: string | null;
                    is_active?: boolean;
                    roles?: ("admin" | "user" | "viewer")[];
                };
            };
        };
        responses: {
            /** @description The user as changed */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserProfile"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This is the last active admin */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.costs": {
        parameters: {
            query?: {
                /** @example 2026-11-01 */
                from?: string;
                /** @example model */
                group_by?: "workflow" | "model" | "user" | "day";
                /** @example 2026-11-30 */
                to?: string;
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Spend per group and in total */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CostReport"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `user_id` names another user and the caller is not an admin */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.datasetList": {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of datasets */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.datasetCreate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "greetings",
                 *       "items": [
                 *         {
                 *           "inputs": {
                 *             "who": "Ada"
                 *           },
                 *           "expected": {
                 *             "greeting": "Hello, Ada"
                 *           }
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    from_executions?: {
                        limit?: number;
                        /** @enum {unknown} */
                        status?: "completed" | "failed" | "cancelled";
                        workflow_id: string;
                        workflow_version?: string;
                    };
                    items?: {
                        expected?: unknown;
                        inputs: Record<string, unknown>;
                    }[];
                    jsonl?: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Created"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.datasetGet": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dataset */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such dataset for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.datasetDelete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such dataset for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.evalList": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                /** @example completed */
                status?: "running" | "completed" | "failed";
                /** @example greeter */
                workflow_id?: string;
                workflow_version?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of evals */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.evalCreate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "workflow_id": "hello",
                 *       "workflow_version": "1.0.0",
                 *       "dataset_id": "00000000-0000-4000-8000-000000000000",
                 *       "scorers": [
                 *         {
                 *           "type": "exact"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    dataset_id: string;
                    scorers: Record<string, unknown>[];
                    workflow_id: string;
                    workflow_version: string;
                };
            };
        };
        responses: {
            /** @description Started */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Created"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow version or dataset for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.evalGet": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The eval */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Eval"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such eval for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "evals.evalCompare": {
        parameters: {
            query: {
                a: string;
                b: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The comparison */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalComparison"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such eval for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.list": {
        parameters: {
            query?: {
                execution_id?: string;
                name?: string;
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                source?: "api" | "webhook" | "signal";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "order.created",
                 *       "data": {
                 *         "order_id": "A-1001",
                 *         "total": 250
                 *       },
                 *       "id": "order-A-1001-created"
                 *     }
                 */
                "application/json": {
                    data?: unknown;
                    id?: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description A duplicate: an event with this id was received before */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventReceived"];
                };
            };
            /** @description Received: the runs it started, the problems of those it could not, the waits it completed */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventReceived"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.listDeadLetters": {
        parameters: {
            query?: {
                event_type?: string;
                handler?: string;
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                /** @example dead */
                status?: "retrying" | "dead" | "replayed" | "discarded";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of dead letters */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.getDeadLetter": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dead letter */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetter"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such dead letter */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.discardDeadLetter": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such dead letter */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It is not dead (already replayed, discarded, or still retrying) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.replayDeadLetter": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sent back to its handler; the dead letter is now `replayed` */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetter"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such dead letter */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It is not dead (already replayed, discarded, or still retrying) */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.replayDeadLetters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "handler": "step-statistics",
                 *       "event_type": "StepExecutionCompleted",
                 *       "limit": 100
                 *     }
                 */
                "application/json": {
                    event_type?: string;
                    handler?: string;
                    limit?: number;
                };
            };
        };
        responses: {
            /** @description Sent back to their handlers */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLettersReplayed"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event bus on the node that answered */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBusStatus"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.listHooks": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of inbound webhooks */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.createHook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "event": "github.push",
                 *       "verify": "github",
                 *       "description": "pushes to the docs repo"
                 *     }
                 */
                "application/json": {
                    description?: string | null;
                    event: string;
                    secret?: string;
                    /** @enum {unknown} */
                    verify: "github" | "stripe" | "standard-webhooks" | "hmac-sha256" | "none";
                };
            };
        };
        responses: {
            /** @description Created; the only answer besides a rotation that shows the secret */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookWithSecret"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.getHook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The inbound webhook (without its secret) */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hook"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such inbound webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.receiveHook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "action": "opened",
                 *       "number": 42
                 *     }
                 */
                "application/json": Record<string, unknown>;
                /** @example hello */
                "text/plain": string;
            };
        };
        responses: {
            /** @description A duplicate delivery: nothing new happened */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookDelivery"];
                };
            };
            /** @description Stored as an event (and its runs started) */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookDelivery"];
                };
            };
            /** @description The body claims JSON and is not */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The signature is missing or wrong, or its timestamp is too old */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such inbound webhook, or its owner is deactivated */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.deleteHook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such inbound webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "events.rotateHook": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "grace": "1h"
                 *     }
                 */
                "application/json": {
                    grace?: string;
                    secret?: string;
                };
            };
        };
        responses: {
            /** @description The new secret, shown once */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HookWithSecret"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such inbound webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A hook with verify none has no secret */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.notifications": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                /** @example true */
                unread?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notifications, with the unread count */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.readNotification": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such notification for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.readAllNotifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many were unread */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationsRead"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.secretList": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secrets */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretList"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.secretGet": {
        parameters: {
            query?: {
                shared?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret, without its value */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such secret */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.secretPut": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example WEATHER_API_KEY */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "value": "a-long-random-api-key"
                 *     }
                 */
                "application/json": {
                    shared?: boolean;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `shared` needs the admin role */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The owner already has SECRETS_MAX_PER_OWNER secrets */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or wrong (the name, or a value over SECRET_MAX_BYTES) */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A cluster without SECRETS_ENCRYPTION_KEY stores no secrets */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.secretDelete": {
        parameters: {
            query?: {
                shared?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `shared` needs the admin role */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such secret */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.threadGet": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thread */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such thread of the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.threadDelete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such thread of the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.usage": {
        parameters: {
            query?: {
                /** @example 2026-11-01 */
                from?: string;
                /** @example 2026-11-30 */
                to?: string;
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage per day and in total */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Usage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.usageByUser": {
        parameters: {
            query?: {
                /** @example 2026-11-01 */
                from?: string;
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                /** @example 2026-11-30 */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users' totals */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageByUserPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.list": {
        parameters: {
            query?: {
                owner_id?: string;
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                workflow_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of webhooks */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "workflow_id": "hello",
                 *       "url": "https://hooks.example.com/cognitionos",
                 *       "events": [
                 *         "WorkflowExecutionCompleted",
                 *         "WorkflowExecutionFailed"
                 *       ],
                 *       "description": "Tell the team"
                 *     }
                 */
                "application/json": {
                    description?: string | null;
                    events?: ("WorkflowExecutionStarted" | "WorkflowExecutionCompleted" | "WorkflowExecutionFailed")[];
                    url: string;
                    workflow_id: string;
                };
            };
        };
        responses: {
            /** @description Registered (Location names it); the only answer besides a rotation that shows the secret */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow in the caller's namespace */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook (without its secret) */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "events": [
                 *         "WorkflowExecutionFailed"
                 *       ],
                 *       "description": "Failures only",
                 *       "status": "active"
                 *     }
                 */
                "application/json": {
                    description?: string | null;
                    events?: ("WorkflowExecutionStarted" | "WorkflowExecutionCompleted" | "WorkflowExecutionFailed")[];
                    /** @enum {unknown} */
                    status?: "active" | "disabled";
                    url?: string;
                };
            };
        };
        responses: {
            /** @description The webhook after the change */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.deliveries": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                status?: "pending" | "delivered" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued; the delivery as it is now */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook or delivery for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "webhooks.rotateSecret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook with its new secret (shown this once) */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such webhook for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.list": {
        parameters: {
            query?: {
                owner_id?: string;
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                q?: string;
                status?: "draft" | "active" | "deprecated" | "archived";
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of workflows */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "workflow_id": "hello",
                 *       "version": "1.0.0",
                 *       "name": "Hello",
                 *       "inputs": [
                 *         {
                 *           "name": "who",
                 *           "type": "string",
                 *           "default": "world"
                 *         }
                 *       ],
                 *       "steps": [
                 *         {
                 *           "id": "greet",
                 *           "type": "transform",
                 *           "params": {
                 *             "expression": "'Hello, ' & inputs.who"
                 *           }
                 *         },
                 *         {
                 *           "id": "shout",
                 *           "type": "transform",
                 *           "params": {
                 *             "expression": "$uppercase(steps.greet.output)"
                 *           },
                 *           "depends_on": [
                 *             "greet"
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": Record<string, unknown>;
                /**
                 * @example workflow:
                 *       id: hello
                 *       version: "1.0.0"
                 *       inputs:
                 *         - name: who
                 *           type: string
                 *           default: world
                 *       steps:
                 *         - id: greet
                 *           type: transform
                 *           params:
                 *             expression: "'Hello, ' & inputs.who"
                 */
                "application/yaml": string;
            };
        };
        responses: {
            /** @description The same definition was already stored */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Stored (Location names it) */
            201: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This id and version exist with different content */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Neither JSON nor YAML */
            415: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The definition is not valid; `detail` lists each problem with its path */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Embedded: the data directory is nearly full (DATA_DIR_MIN_FREE); no new versions until space is freed */
            507: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.versions": {
        parameters: {
            query?: {
                owner_id?: string;
            };
            header?: never;
            path: {
                workflow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every version, newest first */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersions"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow in the caller's namespace */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.get": {
        parameters: {
            query?: {
                format?: "json" | "yaml";
                owner_id?: string;
            };
            header?: never;
            path: {
                version: string;
                workflow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The definition */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow version in the caller's namespace */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "event-bus.statistics": {
        parameters: {
            query?: {
                owner_id?: string;
            };
            header?: never;
            path: {
                /** @example 1.0.0 */
                version: string;
                /** @example hello */
                workflow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every step's statistics */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowStatistics"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow version in the caller's namespace */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "workflow.setStatus": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version: string;
                workflow_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "status": "deprecated"
                 *     }
                 */
                "application/json": {
                    owner_id?: string;
                    /** @enum {unknown} */
                    status: "draft" | "active" | "deprecated" | "archived";
                };
            };
        };
        responses: {
            /** @description The workflow with its new status */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow version */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The lifecycle does not allow this move */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "workflow_id": "hello",
                 *       "workflow_version": "1.0.0",
                 *       "inputs": {
                 *         "who": "Ada"
                 *       }
                 *     }
                 */
                "application/json": {
                    inputs?: Record<string, unknown>;
                    owner_id?: string;
                    priority?: number;
                    workflow_id: string;
                    workflow_version: string;
                };
            };
        };
        responses: {
            /** @description Started or queued (Location names the execution) */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionSummary"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such workflow version in the caller's namespace */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The version is not active, or the Idempotency-Key was used for another request */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many runs already wait for this run's flow-control key */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Embedded: the data directory is nearly full (DATA_DIR_MIN_FREE); no new runs until space is freed */
            507: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.list": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
                status?: "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
                workflow_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of executions */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The execution */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The cancelled execution */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It has already ended */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.fork": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "from_step": "summarize",
                 *       "inputs": {
                 *         "topic": "durable execution"
                 *       }
                 *     }
                 */
                "application/json": {
                    from_step: string;
                    inputs?: Record<string, unknown>;
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The fork, started (Location names it) */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution for the caller, or no such version */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The run has not ended, or the version is not active */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `from_step` is not a step of the version, or the inputs do not fit its declarations */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.llmCalls": {
        parameters: {
            query?: {
                /** @example 1 */
                page?: number;
                /** @example 20 */
                page_size?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the run's LLM calls */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LlmCallPage"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.retry": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Running again */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Only failed or cancelled executions can be retried */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.signal": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "approved": true
                 *       }
                 *     }
                 */
                "application/json": {
                    data?: unknown;
                };
            };
        };
        responses: {
            /** @description A duplicate of an earlier signal (same Idempotency-Key): nothing new happened */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalReceived"];
                };
            };
            /** @description Taken by a waiting step (`delivered_to`), or kept for the run (`delivered_to` empty) */
            202: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalReceived"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The execution has ended */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.step": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                step_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The step */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StepRun"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution or step for the caller */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.approve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                step_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "comment": "Looks good"
                 *     }
                 */
                "application/json": {
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The execution after the decision */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The step is not waiting for approval */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.reject": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                step_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "comment": "Not today"
                 *     }
                 */
                "application/json": {
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The execution after the decision */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The step is not waiting for approval */
            409: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.transcript": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                step_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The transcript */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentTranscript"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such execution or step */
            404: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request is not valid; `detail` names each field and what is wrong with it */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "execution.bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "action": "cancel",
                 *       "filter": {
                 *         "workflow_id": "hello",
                 *         "status": "running"
                 *       },
                 *       "limit": 100
                 *     }
                 */
                "application/json": {
                    /** @enum {unknown} */
                    action: "cancel" | "retry" | "fork";
                    filter: {
                        created_after?: string;
                        created_before?: string;
                        owner_id?: string;
                        /** @enum {unknown} */
                        status?: "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
                        workflow_id?: string;
                        workflow_version?: string;
                    };
                    from_step?: string;
                    inputs?: Record<string, unknown>;
                    limit?: number;
                    reason?: string;
                    version?: string;
                };
            };
        };
        responses: {
            /** @description What happened to each selected run */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            /** @description The body is not valid JSON */
            400: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credentials, or they are not valid (expired, revoked, deactivated account) */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The caller's role or API key scopes do not allow this */
            403: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A field is missing or wrong (`from_step` for a fork, a date) */
            422: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "api.health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node serves: `ok`, or `degraded` with what is down listed */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
            /** @description `unhealthy` (the database or NATS is down; the field says `down`, why is in the node's log) or `starting` */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "api.live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            /** @description A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "api.ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node takes requests */
            200: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready, or draining */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large) */
            default: {
                headers: {
                    "X-Request-ID": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
