/**
 * A small well-formedness check for the SVG and HTML we generate (no DOM in
 * Node): every tag closed in order, attributes quoted, no raw `<` or stray `&`
 * in text or attribute values. Returns the elements' names in document order,
 * so tests can count them. Throws, with the offset, on the first problem.
 */
export function checkXml(text: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const body = text.replace(/^<!doctype html>\s*/i, '');
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|&|[^<&]+/giy;
  let match: RegExpExecArray | null;
  while (token.lastIndex < body.length && (match = token.exec(body))) {
    const [whole, closing, name, attributes, selfClosing] = match;
    if (whole === '<') throw new Error(`checkXml: a raw or malformed tag at offset ${match.index}: ${body.slice(match.index, match.index + 60)}`);
    if (whole === '&') throw new Error(`checkXml: an unescaped & at offset ${match.index}`);
    if (!name) continue;
    for (const [, , value] of (attributes ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (/&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/i.test(value)) throw new Error(`checkXml: an unescaped & in an attribute of <${name}> at offset ${match.index}`);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`checkXml: </${name}> at offset ${match.index} closes <${open}>`);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`checkXml: unclosed <${stack.join('>, <')}>`);
  return names;
}
