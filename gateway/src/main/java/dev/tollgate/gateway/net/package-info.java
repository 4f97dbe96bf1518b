/** Network facts about a request: trusted proxies and the client address derived from them. */
package dev.tollgate.gateway.net;
