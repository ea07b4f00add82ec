/**
 * The settings of a broker's config section that environment variables override (a test
 * emulator's URLs; never secrets): their values and the variables they come from.
 */
export function envOverrides(env: NodeJS.ProcessEnv, variables: Readonly<Record<string, string>>): { values: Record<string, string>; variables: Record<string, string> } {
  const values: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const [key, variable] of Object.entries(variables)) {
    const value = env[variable];
    if (!value) continue;
    values[key] = value;
    from[key] = variable;
  }
  return { values, variables: from };
}
