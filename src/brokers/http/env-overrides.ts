/**
 * The settings a broker lets the environment override (its API URLs, so tests can point it at an
 * emulator; never secrets): key → variable. Returns the values set and the variables they came from.
 */
export function envOverrides(env: NodeJS.ProcessEnv, variablesByKey: Readonly<Record<string, string>>): { values: Record<string, string>; variables: Record<string, string> } {
  const values: Record<string, string> = {};
  const variables: Record<string, string> = {};
  for (const [key, variable] of Object.entries(variablesByKey)) {
    const value = env[variable];
    if (!value) continue;
    values[key] = value;
    variables[key] = variable;
  }
  return { values, variables };
}
