// What the page scripts share: filling a translated text's %(name)s slots, and making elements.

// The template with each %(name)s (or %(name)d) replaced by values[name]; a missing one is empty.
export function say(template, values) {
  return String(template || "").replace(/%\((\w+)\)[sd]/g, function (_, name) {
    return values && name in values ? values[name] : "";
  });
}

// A new element with a class and a text, each optional.
export function el(tag, className, content) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}
