/**
 * The worker process's entry: one task in, its result out (workerpool carries both over
 * the process's IPC channel as JSON). It says when it begins a task, so a time limit
 * counts the task's own work, not the wait for a free worker or a cold start. It exits
 * when its parent goes away.
 */
import workerpool from "workerpool";
import { runTask, type Task } from "./tasks";

workerpool.worker({
	run(task: Task) {
		workerpool.workerEmit({ started: true });
		return runTask(task);
	}
});
