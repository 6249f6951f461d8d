// A form generated from a tool's JSON Schema. Strings, numbers, integers, booleans,
// enums and arrays of those get their own inputs; anything else (nested objects,
// arrays of objects, unions) a JSON text area. The form never checks the schema
// itself: what the server's validator refuses is shown as the server says it.

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean']);

/** The schema's single type, ignoring "null" in a type list; undefined when there is none. */
function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type];
  return type.length === 1 ? type[0] : undefined;
}

function isPrimitive(schema) {
  return Array.isArray(schema.enum) || PRIMITIVES.has(typeOf(schema));
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Turns one text (an input, or a line of a list) into the value its schema asks for. */
function convert(text, schema, name) {
  if (Array.isArray(schema.enum)) return schema.enum[Number(text)];
  switch (typeOf(schema)) {
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text) : text; // the server names what is wrong
    case 'number':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'string':
      return text;
    default:
      throw new Error(`'${name}' has no input for its schema`);
  }
}

function primitiveInput(id, schema) {
  if (Array.isArray(schema.enum)) {
    const select = element('select', { id });
    select.append(element('option', { value: '' }, '—'));
    schema.enum.forEach((value, index) => select.append(element('option', { value: String(index) }, JSON.stringify(value))));
    return select;
  }
  if (typeOf(schema) === 'boolean') {
    const select = element('select', { id });
    for (const value of ['', 'true', 'false']) select.append(element('option', { value }, value || '—'));
    return select;
  }
  const numeric = typeOf(schema) === 'integer' || typeOf(schema) === 'number';
  return element('input', { id, type: 'text', spellcheck: 'false', ...(numeric ? { inputmode: 'decimal' } : {}) });
}

/**
 * Builds the fields of `schema` into `container`.
 * @returns {{ read(): { arguments: object, problems: string[] } }}
 */
export function buildForm(schema, container, idPrefix = 'arg-') {
  container.replaceChildren();
  const properties = (schema && typeof schema.properties === 'object') ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  const readers = [];
  const names = Object.keys(properties);
  if (names.length === 0 && schema?.additionalProperties !== false) {
    // no declared properties, but the tool takes some: the whole object as JSON
    names.push('');
  }
  for (const name of names) {
    const property = name === '' ? { description: 'All arguments, as one JSON object' } : (properties[name] ?? {});
    const id = idPrefix + (name === '' ? '-all' : name);
    const field = element('div', { class: 'field', 'data-name': name });
    const label = element('label', { for: id }, name === '' ? 'arguments' : name);
    if (required.has(name)) label.append(element('span', { class: 'required', title: 'required' }, ' *'));
    const type = Array.isArray(property.enum) ? 'enum' : (typeOf(property) ?? 'json');
    label.append(element('span', { class: 'muted' }, ` ${type}${type === 'array' ? ' of ' + (typeOf(property.items ?? {}) ?? 'values') : ''}`));
    field.append(label);
    if (property.description) field.append(element('p', { class: 'hint' }, property.description));
    let input;
    let read;
    if (isPrimitive(property)) {
      input = primitiveInput(id, property);
      read = () => (input.value === '' ? undefined : convert(input.value, property, name));
    } else if (typeOf(property) === 'array' && isPrimitive(property.items ?? {})) {
      input = element('textarea', { id, rows: '3', spellcheck: 'false', placeholder: 'one item per line' });
      read = () => (input.value.trim() === '' ? undefined
        : input.value.split('\n').filter((line) => line.trim() !== '').map((line) => convert(line, property.items, name)));
    } else {
      input = element('textarea', { id, rows: '4', spellcheck: 'false', placeholder: 'JSON' });
      read = () => {
        if (input.value.trim() === '') return undefined;
        try {
          return JSON.parse(input.value);
        } catch (error) {
          throw new Error(`'${name || 'arguments'}' is not valid JSON: ${error.message}`);
        }
      };
    }
    field.append(input);
    container.append(field);
    readers.push({ name, read });
  }
  return {
    read() {
      let args = {};
      const problems = [];
      for (const { name, read } of readers) {
        try {
          const value = read();
          if (value === undefined) continue;
          if (name === '') args = value;
          else args[name] = value;
        } catch (error) {
          problems.push(error.message);
        }
      }
      return { arguments: args, problems };
    },
  };
}
