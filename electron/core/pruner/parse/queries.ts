import type { GrammarLanguage } from './languages';

/**
 * Tree-sitter queries per grammar. Conventions: `@def.<kind>` captures the whole declaration
 * (its range gives the outline line and nesting), `@name` its name; `@import` a module
 * specifier; `@ref` any identifier use. Written against the grammars in tree-sitter-wasms 0.1.13.
 */
export interface LanguageQueries {
  definitions: string;
  imports: string;
  references: string;
}

const JS_DEFINITIONS = `
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(class_declaration name: (_) @name) @def.class
(method_definition name: (property_identifier) @name) @def.method
(program (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (variable_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable)))
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (class)]) @def.function
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(function_expression) (arrow_function)]) @def.method
(pair key: (property_identifier) @name value: [(function_expression) (arrow_function)]) @def.method
`;

const TS_EXTRA_DEFINITIONS = `
(interface_declaration name: (type_identifier) @name) @def.interface
(type_alias_declaration name: (type_identifier) @name) @def.type
(enum_declaration name: (identifier) @name) @def.enum
(abstract_class_declaration name: (type_identifier) @name) @def.class
(function_signature name: (identifier) @name) @def.function
(method_signature name: (property_identifier) @name) @def.method
(abstract_method_signature name: (property_identifier) @name) @def.method
(public_field_definition name: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
(module name: (_) @name) @def.module
(internal_module name: (_) @name) @def.module
`;

const JS_IMPORTS = `
(import_statement source: (string) @import)
(export_statement source: (string) @import)
(call_expression function: (identifier) @fn arguments: (arguments . (string) @import))
(call_expression function: (import) arguments: (arguments . (string) @import))
`;

const JS_REFERENCES = `
(identifier) @ref
(property_identifier) @ref
(shorthand_property_identifier) @ref
`;

const TS_REFERENCES = `${JS_REFERENCES}
(type_identifier) @ref
`;

const QUERIES: Record<GrammarLanguage, LanguageQueries> = {
  javascript: { definitions: JS_DEFINITIONS, imports: JS_IMPORTS, references: JS_REFERENCES },
  typescript: { definitions: JS_DEFINITIONS + TS_EXTRA_DEFINITIONS, imports: JS_IMPORTS, references: TS_REFERENCES },
  tsx: { definitions: JS_DEFINITIONS + TS_EXTRA_DEFINITIONS, imports: JS_IMPORTS, references: TS_REFERENCES },
  python: {
    definitions: `
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
(module (expression_statement (assignment left: (identifier) @name) @def.variable))
(class_definition body: (block (expression_statement (assignment left: (identifier) @name) @def.variable)))
`,
    imports: `
(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import name: (dotted_name) @import))
(import_from_statement module_name: (_) @import)
(import_from_statement name: (dotted_name) @import.member)
(import_from_statement name: (aliased_import name: (dotted_name) @import.member))
`,
    references: `(identifier) @ref`,
  },
  go: {
    definitions: `
(function_declaration name: (identifier) @name) @def.function
(method_declaration name: (field_identifier) @name) @def.method
(type_spec name: (type_identifier) @name) @def.type
(source_file (const_declaration (const_spec name: (identifier) @name) @def.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @def.variable))
(method_spec name: (field_identifier) @name) @def.method
`,
    imports: `(import_spec path: (interpreted_string_literal) @import)`,
    references: `
(identifier) @ref
(field_identifier) @ref
(type_identifier) @ref
(package_identifier) @ref
`,
  },
  rust: {
    definitions: `
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(union_item name: (type_identifier) @name) @def.union
(trait_item name: (type_identifier) @name) @def.trait
(type_item name: (type_identifier) @name) @def.type
(impl_item type: (_) @name) @def.impl
(const_item name: (identifier) @name) @def.constant
(static_item name: (identifier) @name) @def.static
(mod_item name: (identifier) @name) @def.module
(macro_definition name: (identifier) @name) @def.macro
`,
    imports: `
(use_declaration argument: (_) @import)
(mod_item name: (identifier) @import.mod !body)
(extern_crate_declaration name: (identifier) @import)
`,
    references: `
(identifier) @ref
(type_identifier) @ref
(field_identifier) @ref
`,
  },
  java: {
    definitions: `
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(annotation_type_declaration name: (identifier) @name) @def.interface
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.constructor
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @def.field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @def.constant
`,
    imports: `
(import_declaration (scoped_identifier) @import)
(import_declaration (identifier) @import)
(package_declaration (scoped_identifier) @package)
(package_declaration (identifier) @package)
`,
    references: `
(identifier) @ref
(type_identifier) @ref
`,
  },
};

export function queriesFor(lang: GrammarLanguage): LanguageQueries {
  return QUERIES[lang];
}
