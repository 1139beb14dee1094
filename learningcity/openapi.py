"""The published API: read-only, and an OpenAPI document that says what it answers.

Wagtail's v3 API comes with write operations for API token holders (create, edit, publish, move, delete pages,
sites, snippets, images, documents). Leerstad's API is for reading: editors work in the admin, where the
partner-editor scope (an editor names only their own organisation as organiser or venue) is enforced, which
Wagtail's write API knows nothing of. So every write operation answers 405, and ``/api/v3/openapi.json`` leaves
them out.

The document is Wagtail's (django-ninja's) with these corrections, made by ``published_document``:

- anonymous access is an empty security requirement (``{}``), as OpenAPI 3.1 has it; ninja describes Wagtail's
  ``AllowAnonymous`` as an ``http`` security scheme without the required ``scheme``, an invalid document;
- Wagtail's read operations declare the problems they answer (400, 401, 403, 404, 422), which ninja leaves out,
  and ``/pages/find/`` its answer when it finds the page: a 302 to the page's detail endpoint;
- the domain endpoints (events, partners, child centres, SDGs, changes) come first, Wagtail's own after them;
- operations no request can reach (the snippets', when no snippet type is exposed) and components that only
  left-out operations used are dropped.
"""

import functools

from django.conf import settings
from django.http import JsonResponse
from ninja.responses import Response
from wagtail.api.v3.errors import PROBLEM_JSON

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})

# The tags of Wagtail's own routers; every other tag is a domain one.
WAGTAIL_TAGS = ("pages", "redirects", "snippets", "sites", "schema", "auth", "images", "documents")

WAGTAIL_PROBLEMS = {
    "400": "A limit above the maximum.",
    "401": "An invalid API token, or none where one is needed.",
    "403": "The token's user may not see this.",
    "404": "No such object, or not live.",
    "422": "An invalid parameter.",
}


def refuse_writes(view):
    """A view decorator for the whole API: anything but GET, HEAD and OPTIONS is a 405 problem."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Method Not Allowed",
                    "status": 405,
                    "detail": "This API is read-only: content is edited in the admin.",
                },
                status=405,
                content_type=PROBLEM_JSON,
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        return view(request, *args, **kwargs)

    return answer


def published_document(document: dict) -> dict:
    """Wagtail's OpenAPI document made valid and read-only (see the module's docstring)."""
    paths = {}
    for path, operations in document.get("paths", {}).items():
        kept = {
            method: operation
            for method, operation in operations.items()
            if method not in WRITE_METHODS and not _unreachable(operation)
        }
        for operation in kept.values():
            if "security" in operation:
                operation["security"] = [_anonymous(requirement) for requirement in operation["security"]]
            if _is_wagtails(operation):
                _declare_problems(operation)
        if kept:
            paths[path] = kept
    document["paths"] = dict(sorted(paths.items(), key=lambda item: _is_wagtails(next(iter(item[1].values())))))

    components = document.get("components", {})
    components.get("securitySchemes", {}).pop("AllowAnonymous", None)
    if "ProblemDetail" not in components.get("schemas", {}):
        components.setdefault("schemas", {})["ProblemDetail"] = PROBLEM_DETAIL
    _drop_unused_schemas(document)

    document["tags"] = [{"name": tag} for tag in _domain_tags(document)] + [
        {"name": tag, "description": "Wagtail's own endpoint (read-only here)."} for tag in WAGTAIL_TAGS
    ]
    document.setdefault("info", {})["description"] = (
        "The learning city's read-only API: events, partners, child centres, SDGs and a change feed, anonymous "
        "and in the language asked for with `locale`; then Wagtail's own read endpoints. Write operations answer 405."
    )
    return document


PROBLEM_DETAIL = {
    "title": "ProblemDetail",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"anyOf": [{"type": "array", "items": {"type": "object"}}, {"type": "null"}]},
    },
    "required": ["type", "title", "status"],
}


def _unreachable(operation: dict) -> bool:
    """An operation with a path parameter that can take no value: ``/snippets/{type}/`` when no snippet type is
    exposed to the API (ninja describes the empty choice as ``const: ""``)."""
    return any(
        parameter.get("in") == "path" and parameter.get("schema", {}).get("const") == ""
        for parameter in operation.get("parameters", [])
    )


def _anonymous(requirement: dict) -> dict:
    return {} if list(requirement) == ["AllowAnonymous"] else requirement


def _is_wagtails(operation: dict) -> bool:
    return any(tag in WAGTAIL_TAGS for tag in operation.get("tags", []))


# Wagtail's find operations redirect to the detail endpoint of what they find.
FOUND = {
    "description": "Found: a redirect to the object's detail endpoint.",
    "headers": {"Location": {"schema": {"type": "string"}, "description": "The detail endpoint."}},
}


def _declare_problems(operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    if operation.get("operationId", "").endswith("_find"):
        responses.setdefault("302", FOUND)
    for status, description in WAGTAIL_PROBLEMS.items():
        responses.setdefault(
            status,
            {
                "description": description,
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
            },
        )


def _domain_tags(document: dict) -> list[str]:
    tags = []
    for operations in document["paths"].values():
        for operation in operations.values():
            for tag in operation.get("tags", []):
                if tag not in WAGTAIL_TAGS and tag not in tags:
                    tags.append(tag)
    return tags


def _drop_unused_schemas(document: dict) -> None:
    """Drop component schemas no kept operation refers to, directly or through other schemas."""
    schemas = document.get("components", {}).get("schemas", {})
    prefix = "#/components/schemas/"
    used: set[str] = set()
    pending = list(_references({"paths": document["paths"]}, prefix))
    while pending:
        name = pending.pop()
        if name in used or name not in schemas:
            continue
        used.add(name)
        pending.extend(_references(schemas[name], prefix))
    for name in list(schemas):
        if name not in used:
            del schemas[name]


def _references(node, prefix: str):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(prefix):
                yield value[len(prefix) :]
            else:
                yield from _references(value, prefix)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value, prefix)


def openapi_json(request):
    """``/api/v3/openapi.json``: the published document (in front of ninja's own view, same URL)."""
    from wagtail.api.v3.urls import api

    from .api import not_found

    if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):  # as Wagtail's own view
        return not_found(request)
    return Response(published_document(api.get_openapi_schema()))
