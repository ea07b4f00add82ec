/**
 * Removes secrets from text that may be shown or logged (error messages that echo a request,
 * a URL with `access_token=` in its query). Known secret values are replaced wherever they
 * appear; well-known secret-bearing parameters and headers are masked even when the value is
 * not known.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  out = out.replace(/((?:access_token|api_secret|request_token|checksum|password|secret|enctoken)=)[^&\s"']+/gi, '$1***');
  out = out.replace(/(authorization:\s*token\s+)[^\s"']+/gi, '$1***');
  return out;
}
