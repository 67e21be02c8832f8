/** Head-office server: placeholder until the sync issue. Kept so the layer's tsconfig and lint rules exist. */
export const HEAD_OFFICE_PROTOCOL_VERSION = 1;
