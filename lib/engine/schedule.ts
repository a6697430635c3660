import { CronExpressionParser } from "cron-parser";

/** The first tick of `cron` strictly after `after` (UTC), in epoch ms. */
export function nextTick(cron: string, after: number): number {
	return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: "UTC" }).next().getTime();
}
