// Turns a Preact tree into a full HTML document. Preact escapes text and attributes, so
// views never need (and must never use) dangerouslySetInnerHTML with data.
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { FastifyReply } from 'fastify';

export function renderDocument(vnode: VNode<any>): string {
  return `<!DOCTYPE html>${renderToString(vnode)}`;
}

export function sendHtml(reply: FastifyReply, vnode: VNode<any>, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(renderDocument(vnode));
}
