/**
 * `/docs`: the OpenAPI document as one self-contained HTML page — no viewer is fetched from a CDN
 * (none is reachable offline) and none is vendored (Swagger UI is some 1.5 MB): every operation
 * with its parameters and body schema, rendered here, and a small inline script that sends a
 * request with the token typed in and shows the answer.
 */
type Operation = { summary?: string; description?: string; parameters?: { name: string; in: string; required?: boolean; description?: string }[]; requestBody?: { content: Record<string, { schema: unknown }> } };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function operationHtml(method: string, path: string, op: Operation, i: number): string {
  const params = (op.parameters ?? []).map((p) => `<li><code>${escape(p.name)}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? ` — ${escape(p.description)}` : ''}</li>`).join('');
  const body = op.requestBody?.content['application/json']?.schema;
  return `<section id="op${i}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary ?? '')}${op.description ? ` <em>${escape(op.description)}</em>` : ''}</p>
${params ? `<ul>${params}</ul>` : ''}
${body ? `<details><summary>body schema</summary><pre>${escape(JSON.stringify(body, null, 2))}</pre></details>` : ''}
<form data-method="${method.toUpperCase()}" data-path="${escape(path)}"><input name="path" value="${escape(path)}" size="50">${method === 'get' ? '' : '<br><textarea name="body" rows="4" cols="70" placeholder="JSON body"></textarea>'}<br><button>Send</button><pre class="out"></pre></form></section>`;
}

export function docsPage(doc: { info: { title: string; version: string; description: string }; paths: Record<string, Record<string, Operation>> }): string {
  let i = 0;
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => operationHtml(method, path, op, i++)));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)} API</title>
<style>body{font:14px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{display:inline-block;min-width:4rem;font-weight:bold}.get{color:#06c}.post{color:#080}.delete{color:#c00}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:20rem}</style></head>
<body><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1><p>${escape(doc.info.description)}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>. Token: <input id="token" size="60" placeholder="ptx_…" autocomplete="off"></p>
${ops.join('\n')}
<script>
for (const form of document.querySelectorAll('form')) form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = form.querySelector('.out');
  const body = form.elements.body ? form.elements.body.value : undefined;
  const headers = { authorization: 'Bearer ' + document.getElementById('token').value };
  if (body) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(form.elements.path.value, { method: form.dataset.method, headers, body: body || undefined });
    out.textContent = res.status + ' ' + res.statusText + '\\n' + await res.text();
  } catch (err) { out.textContent = String(err); }
});
</script></body></html>`;
}
