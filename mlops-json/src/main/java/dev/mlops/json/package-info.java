/**
 * The one strict JSON layer of mlops-java. {@link dev.mlops.json.StrictJson} reads and writes
 * every stored or user-written format: duplicate keys, unknown fields, mistyped values and
 * oversized or too deeply nested input are refused with a
 * {@link dev.mlops.api.ValidationException} that names the field's path and what was expected;
 * field names are snake_case; there is no default typing. {@link dev.mlops.json.JsonFields}
 * reads a format field by field with the same rules.
 */
package dev.mlops.json;
