/** @module The product name and version, as servers report them. */
export const PRODUCT_NAME = 'Tandem';
export const PRODUCT_VERSION = '0.1.0';
