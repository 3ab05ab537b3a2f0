/**
 * Whether to use colour (here: dimmed text), by the conventions most tools share: `FORCE_COLOR`
 * wins when set (`0` or `false` turn colour off), then `NO_COLOR` (any non-empty value turns it
 * off, https://no-color.org), then a `dumb` terminal; otherwise colour when writing to a terminal.
 */

/**
 * @example
 * useColor({ NO_COLOR: "1" }, true); // false
 * useColor({ FORCE_COLOR: "1" }, false); // true
 */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}
