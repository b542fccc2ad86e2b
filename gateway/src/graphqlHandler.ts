import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { sharedBytes } from './perf/inboundDedupe.ts';

export interface GraphqlHandlerOptions<C extends BaseContext> {
  context: (req: Request, res: Response) => Promise<C>;
}

/**
 * Apollo Server on express, after the body parsers (what `@as-integrations/express5` does), with one
 * difference: a complete answer goes out through `sharedBytes`, so an answer shared by inbound dedupe
 * is sent as the bytes encoded once rather than encoded again per request (see perf/inboundDedupe.ts).
 */
export function graphqlHandler<C extends BaseContext>(server: ApolloServer<C>, { context }: GraphqlHandlerOptions<C>): RequestHandler {
  server.assertStarted('graphqlHandler()');
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryAt = req.url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: queryAt < 0 ? '' : req.url.slice(queryAt),
      body: req.body,
    };
    const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(req, res) });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      res.send(sharedBytes(response.body.string));
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
