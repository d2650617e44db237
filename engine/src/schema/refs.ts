/** `$ref`s into the flow schema's `$defs`, for node kinds' config schemas. */
export const localizedTextRef = { $ref: '#/$defs/localizedText' } as const;
export const slaRef = { $ref: '#/$defs/sla' } as const;
export const priorityRef = { $ref: '#/$defs/priority' } as const;
export const ruleRef = {} as const;
export const durationSchema = { type: 'string', minLength: 1, maxLength: 40 } as const;
export const fieldPathSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z0-9_$]+)*$' } as const;
