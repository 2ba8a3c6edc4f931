/**
 * Edge bundling of trails (one polyline per observation through layers or epochs):
 * {@link org.hiddenactivity.bundling.Kdeeb} with its {@link org.hiddenactivity.bundling.BundlingParameters}.
 */
package org.hiddenactivity.bundling;
