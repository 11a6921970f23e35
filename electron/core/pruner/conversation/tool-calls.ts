import type { AnthropicMessage, ContentBlock } from './types';

export type FileAccess = 'read' | 'write' | 'edit';

export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** Index of the assistant message that made the call. */
  message: number;
  file: { access: FileAccess; path: string; partial: boolean } | null;
}

export interface ToolResultRef {
  message: number;
  block: number;
  value: ContentBlock;
  isError: boolean;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * What a tool call did to a file, from its name and input: Claude Code's Read/Write/Edit/
 * MultiEdit, the text-editor tool's view/create/str_replace, and the common *_file names.
 */
export function fileAccessOf(name: string, input: Record<string, unknown>): ToolCall['file'] {
  const raw = input.file_path ?? input.path ?? input.filename ?? input.notebook_path ?? input.target_file;
  if (typeof raw !== 'string' || raw === '') return null;
  const path = normalizePath(raw);
  const n = name.toLowerCase();
  const command = typeof input.command === 'string' ? input.command : '';
  let access: FileAccess | null = null;
  if (/str_replace|text_editor/.test(n) && command !== '') {
    access = command === 'view' ? 'read' : command === 'create' ? 'write' : 'edit';
  } else if (/^(read|read_file|view|view_file|open_file|cat|readfile)$/.test(n)) access = 'read';
  else if (/^(write|write_file|create_file|writefile)$/.test(n)) access = 'write';
  else if (/^(edit|multiedit|edit_file|str_replace|apply_patch|notebookedit|replace|search_replace)$/.test(n)) access = 'edit';
  if (!access) return null;
  const partial =
    access === 'read' && (input.offset !== undefined || input.limit !== undefined || input.view_range !== undefined || input.start_line !== undefined);
  return { access, path, partial };
}

/** Every tool call by id, and where its result sits. */
export function indexToolCalls(messages: readonly AnthropicMessage[]): { calls: Map<string, ToolCall>; results: Map<string, ToolResultRef> } {
  const calls = new Map<string, ToolCall>();
  const results = new Map<string, ToolResultRef>();
  messages.forEach((m, mi) => {
    if (typeof m.content === 'string') return;
    m.content.forEach((b, bi) => {
      if (m.role === 'assistant' && b.type === 'tool_use' && typeof b.id === 'string') {
        const input = asRecord(b.input);
        const name = typeof b.name === 'string' ? b.name : '';
        calls.set(b.id, { id: b.id, name, input, message: mi, file: fileAccessOf(name, input) });
      } else if (m.role === 'user' && b.type === 'tool_result' && typeof b.tool_use_id === 'string') {
        results.set(b.tool_use_id, { message: mi, block: bi, value: b, isError: b.is_error === true });
      }
    });
  });
  return { calls, results };
}

/** The text of a tool result, or null when it holds anything but text (an image is never pruned). */
export function resultText(block: ContentBlock): string | null {
  const c = block.content;
  if (c === undefined) return '';
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return null;
  const parts: string[] = [];
  for (const part of c as unknown[]) {
    const p = asRecord(part);
    if (p.type !== 'text' || typeof p.text !== 'string') return null;
    parts.push(p.text);
  }
  return parts.join('\n');
}

/** The same block with its content replaced, keeping the content's shape (string or text blocks) and every other field. */
export function withResultText(block: ContentBlock, text: string): ContentBlock {
  return { ...block, content: Array.isArray(block.content) ? [{ type: 'text', text }] : text };
}
