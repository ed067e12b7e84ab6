import { z } from 'zod'
import { errorResponseSchema, type ApiRoute } from './api-v1.js'

type JsonSchema = Record<string, unknown>

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' })
  delete json['$schema']
  return json
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = toSchema(schema, 'input')
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }))
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
}

function operation(route: ApiRoute): JsonSchema {
  const op: JsonSchema = {
    summary: route.summary,
    parameters: [
      ...pathParameters(route.path),
      ...(route.query ? queryParameters(route.query) : []),
    ],
    responses: {
      '200': {
        description: 'OK',
        ...(route.response
          ? { content: { 'application/json': { schema: toSchema(route.response, 'output') } } }
          : {}),
      },
      default: {
        description: 'Error',
        content: { 'application/json': { schema: toSchema(errorResponseSchema, 'output') } },
      },
    },
  }
  if (route.body) {
    op['requestBody'] = {
      required: true,
      content: { 'application/json': { schema: toSchema(route.body, 'input') } },
    }
  }
  if (route.auth) op['security'] = [{ bearer: [] }, { vigilKey: [] }]
  return op
}

/** The OpenAPI 3 document, generated from the same zod schemas the server validates with. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of routes) {
    paths[route.path] ??= {}
    paths[route.path]![route.method.toLowerCase()] = operation(route)
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Vigil API', version },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        vigilKey: { type: 'apiKey', in: 'header', name: 'x-vigil-key' },
      },
    },
  }
}
