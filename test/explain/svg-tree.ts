/**
 * A strict little XML reader for the SVG our renderer writes (elements,
 * double-quoted attributes, text; no comments, CDATA or DOCTYPE): the element
 * tree, or an error at the first character that is not well-formed XML.
 */
export interface SvgElement {
  name: string;
  attrs: Record<string, string>;
  children: SvgElement[];
  text: string;
}

const TOKEN = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;

export function parseSvg(xml: string): SvgElement {
  const root: SvgElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < xml.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(xml);
    if (m === null) throw new Error(`not well-formed at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    const [, close, name, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (/&(?!(lt|gt|amp|quot|apos);)/.test(text)) throw new Error(`bare & in text at ${at}`);
      top.text += text;
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> at ${at} closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (a[1] in attrs) throw new Error(`attribute ${a[1]} twice at ${at}`);
        attrs[a[1]] = a[2];
      }
      const el: SvgElement = { name, attrs, children: [], text: '' };
      top.children.push(el);
      if (!selfClose) stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> never closed`);
  if (root.children.length !== 1 || root.children[0].name !== 'svg') throw new Error('expected one <svg> root element');
  return root.children[0];
}

/** Every element under `el` (itself included) matching `pred`, in document order. */
export function findAll(el: SvgElement, pred: (e: SvgElement) => boolean): SvgElement[] {
  const out: SvgElement[] = pred(el) ? [el] : [];
  for (const c of el.children) out.push(...findAll(c, pred));
  return out;
}

export const byClass = (cls: string) => (e: SvgElement) => (e.attrs.class ?? '').split(' ').includes(cls);
export const textOf = (e: SvgElement): string => e.text + e.children.map(textOf).join('');
