"""Builds a client schema from an introspection result as Python clients (gql, the Kili SDK) do.

Reads `{"data": {...}}` on stdin, runs graphql-core's build_client_schema and prints
`{"version": ..., "sdl": print_schema(schema)}`; on failure prints `{"error": "<Type>: <message>"}`.
"""
import json
import sys

import graphql

result = json.load(sys.stdin)
try:
    schema = graphql.build_client_schema(result["data"])
    print(json.dumps({"version": graphql.__version__, "sdl": graphql.print_schema(schema)}))
except Exception as error:  # the test asserts there is none, and shows it
    print(json.dumps({"version": graphql.__version__, "error": f"{type(error).__name__}: {error}"}))
