// prepublishOnly of every published package: refuses a publish that would ship a broken package.
// - only pnpm publishes (npm would keep `workspace:^` ranges, which no user can install, and
//   would ignore publishConfig.exports, which drops the workspace-only `source` condition);
// - the package must be built (dist/ holds every file its exports name).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const problems = [];
if (!(process.env.npm_config_user_agent ?? "").startsWith("pnpm/"))
  problems.push(
    "publish with pnpm (`pnpm publish`), which replaces workspace: ranges and applies publishConfig",
  );
const files = [];
const collect = (value) => {
  if (typeof value === "string") files.push(value);
  else if (value && typeof value === "object") for (const inner of Object.values(value)) collect(inner);
};
collect(manifest.publishConfig?.exports ?? {});
collect(manifest.bin ?? {});
for (const file of files)
  if (!existsSync(join(process.cwd(), file))) problems.push(`${file} is missing: run pnpm build`);
if (JSON.stringify(manifest.publishConfig?.exports ?? {}).includes('"source"'))
  problems.push("publishConfig.exports must not name the workspace-only `source` condition");
if (problems.length > 0) {
  console.error(`refusing to publish ${manifest.name}:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
