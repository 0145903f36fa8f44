/**
 * VHD structures (footer, dynamic header, block allocation table) and Rackspace's import
 * checks with its failure codes (111 … 721), read from an object by range requests so a
 * bad image fails before its copy and import rather than after.
 * <p>
 * It imports no other image-ferry package: the product checks with it, and the simulator
 * writes its synthetic images with its structures.
 */
package org.imageferry.vhd;
