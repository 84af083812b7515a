"""The API reference in the repository (docs/api.md), written from `/api/openapi.json`.

`render(document)` is a pure function from the OpenAPI document to Markdown; the document is the
one the schemas that validate requests produce, so the reference cannot drift from behaviour:
tests/test_api_reference.py fails when docs/api.md is not what `render` writes today.
Regenerate it with `python -m service.api.reference > docs/api.md`.
"""

import json

REGENERATE = "python -m service.api.reference > docs/api.md"
METHODS = ("get", "post", "put", "patch", "delete")


def render(document):
    """Markdown for people: an index of endpoints, each endpoint, then each schema's fields."""
    lines = [f"# {document['info']['title']} — reference", "",
             f"Written from `GET /api/openapi.json` (OpenAPI {document['openapi']}) by `{REGENERATE}`;",
             "a test fails when this file and the served document differ. Every error answers",
             '`{"error": {"code", "message", "field"}}` (schema `Error`) with the status listed.', "",
             "| method | path | what |", "|---|---|---|"]
    operations = [(method, path, operation) for path, item in document["paths"].items()
                  for method, operation in item.items() if method in METHODS]
    for method, path, operation in operations:
        lines.append(f"| {method.upper()} | [`{path}`](#{_anchor(method, path)}) | {operation.get('summary', '')} |")
    for method, path, operation in operations:
        lines += [""] + _operation(method, path, operation)
    lines += ["", "## Schemas"]
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        lines += [""] + _schema(name, schema)
    return "\n".join(lines) + "\n"


def _anchor(method, path):
    """The id GitHub gives the heading `method path` (lower case, punctuation dropped, spaces as -)."""
    heading = f"{method} {path}".lower()
    return "".join(char for char in heading if char.isalnum() or char in " -_").replace(" ", "-")


def _operation(method, path, operation):
    lines = [f"## {method.upper()} {path}", "", operation.get("summary", "")]
    if operation.get("description"):
        lines += ["", operation["description"]]
    if operation.get("parameters"):
        lines += ["", "| parameter | in | required | type | meaning |", "|---|---|---|---|---|"]
        for parameter in operation["parameters"]:
            lines.append(f"| `{parameter['name']}` | {parameter['in']} | {_yes(parameter.get('required'))} "
                         f"| {_type(parameter.get('schema', {}))} | {_cell(_parameter_meaning(parameter))} |")
    body = operation.get("requestBody")
    if body:
        for media, content in body.get("content", {}).items():
            lines += ["", f"Body ({media}): {_type(content.get('schema', {}))}."]
    lines += ["", "| status | meaning | body |", "|---|---|---|"]
    for status, response in operation.get("responses", {}).items():
        schemas = [_type(content.get("schema", {})) for content in response.get("content", {}).values()]
        lines.append(f"| {status} | {_cell(response.get('description', ''))} | {', '.join(schemas)} |")
    return lines


def _schema(name, schema):
    lines = [f"### {name}"]
    if schema.get("description"):
        lines += ["", _cell(schema["description"])]
    properties = schema.get("properties")
    if not properties:
        return lines + ["", f"{_type(schema)}."]
    required = set(schema.get("required", []))
    lines += ["", "| field | type | required | meaning |", "|---|---|---|---|"]
    for field, spec in properties.items():
        lines.append(f"| `{field}` | {_type(spec)} | {_yes(field in required)} | {_cell(_meaning(spec))} |")
    return lines


def _meaning(spec):
    """A field's description, and its default when it has one worth saying."""
    text = spec.get("description", "")
    if "default" in spec and spec["default"] not in (None, ""):
        text = f"{text} Default `{json.dumps(spec['default'])}`.".strip()
    return text


def _parameter_meaning(parameter):
    return _meaning({"description": parameter.get("description", ""), **parameter.get("schema", {})})


def _type(spec):
    """A schema as a short phrase: `string (≤ 500)`, `Comment`, `array of Comment`, `string or null`."""
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        return f"[`{name}`](#{name.lower()})"
    for key in ("anyOf", "oneOf"):
        if key in spec:
            return " or ".join(_type(option) for option in spec[key])
    if "enum" in spec:
        return " \\| ".join(f"`{json.dumps(value)}`" for value in spec["enum"])
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    kind = spec.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return f"array of {_type(spec.get('items', {}))}"
    if kind == "object" and "additionalProperties" in spec and isinstance(spec["additionalProperties"], dict):
        return f"object of {_type(spec['additionalProperties'])}"
    bounds = [f"≥ {spec[key]}" for key in ("minimum", "minLength") if key in spec]
    bounds += [f"≤ {spec[key]}" for key in ("maximum", "maxLength") if key in spec]
    return f"{kind} ({', '.join(bounds)})" if bounds else kind


def _yes(flag):
    return "yes" if flag else "no"


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def main():
    """Print the reference for the API this code serves."""
    import tempfile

    from .. import create_app

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE": instance, "TESTING": True})
        document = app.test_client().get("/api/openapi.json").get_json()
    print(render(document), end="")


if __name__ == "__main__":
    main()
