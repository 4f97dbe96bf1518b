{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "tollgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every object name. Truncated to 45 characters so that the longest suffix the chart
appends ("-gateway-admin", "-operator-leases") still fits the 63-character name limit.
*/}}
{{- define "tollgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tollgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The <gw> in the Redis keys tollgate:{<gw>}:* that operator and gateways share. */}}
{{- define "tollgate.gatewayName" -}}
{{- default .Release.Name .Values.gatewayName }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "tollgate.labels" -}}
helm.sh/chart: {{ include "tollgate.chart" . }}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tollgate
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Labels of one component's objects; call with (dict "ctx" $ "component" "gateway").
*/}}
{{- define "tollgate.componentLabels" -}}
{{ include "tollgate.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector labels of one component (stable across upgrades: never add to these). */}}
{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* A map of labels as an equality label selector: "k1=v1,k2=v2" (keys sorted). */}}
{{- define "tollgate.labelSelector" -}}
{{- $pairs := list }}
{{- range $key := keys . | sortAlpha }}
{{- $pairs = append $pairs (printf "%s=%s" $key (get $ $key)) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{- define "tollgate.operator.fullname" -}}
{{- printf "%s-operator" (include "tollgate.fullname" .) }}
{{- end }}

{{- define "tollgate.gateway.fullname" -}}
{{- printf "%s-gateway" (include "tollgate.fullname" .) }}
{{- end }}

{{- define "tollgate.analytics.fullname" -}}
{{- printf "%s-analytics" (include "tollgate.fullname" .) }}
{{- end }}

{{- define "tollgate.redis.fullname" -}}
{{- printf "%s-redis" (include "tollgate.fullname" .) }}
{{- end }}

{{- define "tollgate.operator.leaseName" -}}
{{- default (include "tollgate.operator.fullname" .) .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/* image reference; call with (dict "image" .Values.x.image "ctx" $). A digest pins the
image itself (repository@sha256:...), so the tag is left out: a tag can be pushed again. */}}
{{- define "tollgate.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/*
Redis URL as the pods see it, without credentials: operator and gateway both take the password
from TOLLGATE_REDIS_PASSWORD (from the Secret) and the user from TOLLGATE_REDIS_USERNAME, and set
them on the connection themselves, so a password may hold any character and never appears in
the rendered manifest or in a URL.
*/}}
{{- define "tollgate.redisUrl" -}}
{{- if eq .Values.redis.mode "bundled" }}
{{- printf "redis://%s:%d" (include "tollgate.redis.fullname" .) (int .Values.redis.bundled.port) }}
{{- else }}
{{- required "redis.external.url is required when redis.mode is external" .Values.redis.external.url }}
{{- end }}
{{- end }}

{{/*
Redis connection env vars of one component; call with (dict "ctx" $ "user" "gateway"|"operator").
Bundled Redis: the component's own ACL user and its password from the generated Secret. External:
the configured user and Secret, the same for both components.
*/}}
{{- define "tollgate.redisEnv" -}}
{{- $ctx := .ctx }}
{{- if eq $ctx.Values.redis.mode "bundled" }}
- name: TOLLGATE_REDIS_USERNAME
  value: {{ .user | quote }}
- name: TOLLGATE_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "tollgate.redisSecretName" $ctx }}
      key: {{ .user }}-password
{{- else if $ctx.Values.redis.external.existingSecret }}
- name: TOLLGATE_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $ctx.Values.redis.external.existingSecret }}
      key: {{ $ctx.Values.redis.external.existingSecretPasswordKey }}
{{- with $ctx.Values.redis.external.username }}
- name: TOLLGATE_REDIS_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
- name: TOLLGATE_REDIS_URL
  value: {{ include "tollgate.redisUrl" $ctx | quote }}
- name: TOLLGATE_GATEWAY_NAME
  value: {{ include "tollgate.gatewayName" $ctx | quote }}
{{- end }}

{{/*
The bundled Redis's ACL rules (Redis 7 syntax). Passwords are left as ${GATEWAY_PASSWORD} etc.:
the Redis container writes the file at start from its environment, which holds them from the
Secret, so neither the rendered manifest nor the pod spec contains a password. What each user may
do (docs/security.md#redis):
- default: off, so an unauthenticated client can do nothing;
- probe: PING only (the readiness probe);
- operator: the config keys tollgate:{<gw>}:* and their channel; GET/MGET and its scripts (the
  fenced snapshot write, the live-gateways read that prunes expired reports);
- gateway: reads the config keys, writes only the reports in tollgate:{<gw>}:gateways and the
  limiter keys tollgate:<gw>:rl:*, runs the limiter and report scripts, subscribes to the config
  channel. It cannot write the config: a script is held to the key rules of the user running it.
Scripts (EVAL, EVALSHA, SCRIPT LOAD) are allowed, never SCRIPT FLUSH/KILL, FUNCTION or KEYS.
*/}}
{{- define "tollgate.redisAclRules" -}}
{{- $gw := include "tollgate.gatewayName" . -}}
{{- $config := printf "tollgate:{%s}" $gw -}}
{{- $access := printf "tollgate:{%s:access}" $gw -}}
{{- $connection := "+hello +auth +ping +select +client|setname" -}}
{{- $scripts := "+eval +evalsha +eval_ro +script|load +script|exists +time" -}}
user default off resetkeys resetchannels -@all
user probe on >${PROBE_PASSWORD} resetkeys resetchannels -@all +ping +auth +hello
user operator on >${OPERATOR_PASSWORD} resetkeys ~{{ $config }}:* resetchannels &{{ $config }}:config -@all {{ $connection }} {{ $scripts }} +get +mget +set +del +publish +hkeys +hget +hgetall +hset +hdel +xadd +xrange
user gateway on >${GATEWAY_PASSWORD} resetkeys %R~{{ $config }}:config* ~{{ $config }}:gateways ~tollgate:{{ $gw }}:rl:* ~{{ $access }}:stream resetchannels &{{ $config }}:config -@all {{ $connection }} {{ $scripts }} +get +mget +hget +hgetall +xrange +subscribe +unsubscribe +hset +hdel +hkeys +hmget +pttl +pexpire +pexpireat +del +zadd +zcount +zrange +zrangebyscore +zrem +zremrangebyscore +xadd
user analytics on >${ANALYTICS_PASSWORD} resetkeys ~{{ $access }}:* resetchannels -@all {{ $connection }} {{ $scripts }} +xreadgroup +xgroup|create +xgroup|delconsumer +xautoclaim +xinfo|groups +xinfo|consumers +xlen +xpending +xack +exists +hgetall +hdel +hsetnx +hincrby +hexists +hlen +zincrby +zcard +zpopmin +zunion +expireat +lpush +lrange +ltrim
{{- end }}

{{/* The bundled Redis's ACL users, each with a generated password in the Secret. */}}
{{- define "tollgate.redisUsers" -}}
operator gateway analytics probe
{{- end }}

{{/* The Secret with the bundled Redis's passwords: generated by the chart, or the user's own. */}}
{{- define "tollgate.redisSecretName" -}}
{{- default (include "tollgate.redis.fullname" .) .Values.redis.bundled.existingSecret }}
{{- end }}

{{/*
Whole seconds, rounded up, of a duration as the schema allows it: a number and ms, s, m or h.
*/}}
{{- define "tollgate.durationSeconds" -}}
{{- $amount := regexFind "^[0-9]+" . | int64 }}
{{- $unit := trimPrefix (regexFind "^[0-9]+" .) . }}
{{- if eq $unit "ms" }}{{ div (add $amount 999) 1000 }}
{{- else if eq $unit "s" }}{{ $amount }}
{{- else if eq $unit "m" }}{{ mul $amount 60 }}
{{- else }}{{ mul $amount 3600 }}
{{- end }}
{{- end }}

{{/* The writable /tmp every read-only-root container gets (JVM perf data, temp files). */}}
{{- define "tollgate.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "tollgate.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Top-level CRD metadata lines that replace the generated file's "metadata:" line. */}}
{{- define "tollgate.crdMetadata" -}}
metadata:
  labels:
    {{- include "tollgate.labels" . | nindent 4 }}
    app.kubernetes.io/component: crds
  {{- if .Values.crds.keep }}
  annotations:
    helm.sh/resource-policy: keep
  {{- end }}
{{- end }}

{{/* Who may scrape metrics when NetworkPolicies are on: as configured, else the release namespace. */}}
{{- define "tollgate.metricsPeers" -}}
{{- if .Values.networkPolicy.metricsFrom }}
{{- toYaml .Values.networkPolicy.metricsFrom }}
{{- else }}
- podSelector: {}
{{- end }}
{{- end }}

{{/*
TOLLGATE_LOG_FORMAT and TOLLGATE_LOG_LEVEL of one component: its own logFormat / logLevel, else
the chart-wide ones. Call with (dict "ctx" . "component" .Values.<component>).
*/}}
{{- define "tollgate.logEnv" -}}
- name: TOLLGATE_LOG_FORMAT
  value: {{ .component.logFormat | default .ctx.Values.logFormat | quote }}
- name: TOLLGATE_LOG_LEVEL
  value: {{ .component.logLevel | default .ctx.Values.logLevel | quote }}
{{- end }}

{{/*
"true" when the gateway serves HTTPS: certificate Secrets are listed, or the certificates of Gateway
API listeners are on (their bundle Secret may not be written yet); empty otherwise.
*/}}
{{- define "tollgate.gateway.https" -}}
{{- if or .Values.gateway.tls.certificates .Values.gatewayAPI.listenerCertificates.enabled }}true{{ end }}
{{- end }}

{{/*
The Secret the operator writes the certificates of Gateway API HTTPS listeners into
(gatewayAPI.listenerCertificates), one <namespace>.<secret>.crt / .key pair per certificate.
*/}}
{{- define "tollgate.listenerCertificates.secretName" -}}
{{- printf "%s-listener-certificates" (include "tollgate.fullname" .) }}
{{- end }}

{{/*
TOLLGATE_TLS_CERT_DIRS: the mount directory of each certificate Secret, default first.
*/}}
{{- define "tollgate.gateway.certDirs" -}}
{{- $dirs := list }}
{{- range . }}
{{- $dirs = append $dirs (printf "/etc/tollgate/tls/%s" .) }}
{{- end }}
{{- join "," $dirs }}
{{- end }}

{{/*
A volume source holding one CA bundle key, from a Secret or a ConfigMap ({secretName|configMapName, key}).
*/}}
{{- define "tollgate.gateway.caVolume" -}}
{{- if .secretName }}
secret:
  secretName: {{ .secretName }}
  items:
    - {key: {{ .key }}, path: {{ .key }}}
{{- else }}
configMap:
  name: {{ .configMapName }}
  items:
    - {key: {{ .key }}, path: {{ .key }}}
{{- end }}
{{- end }}

{{/*
Fails the render when a PodDisruptionBudget's minAvailable would let no pod be evicted: an integer
at or above the replicas, or 100%. Such a budget blocks every node drain (kubectl drain waits on it
forever). Call with (dict "name" "<value path>" "minAvailable" <value> "replicas" <fewest pods>).
*/}}
{{- define "tollgate.pdbLeavesRoom" -}}
{{- $min := toString .minAvailable }}
{{- if hasSuffix "%" $min }}
{{- if ge (int (trimSuffix "%" $min)) 100 }}
{{- fail (printf "%s (%s) must leave a pod to evict: it blocks every node drain" .name $min) }}
{{- end }}
{{- else if ge (int $min) (int .replicas) }}
{{- fail (printf "%s (%s) must be below the replicas (%d): it blocks every node drain" .name $min (int .replicas)) }}
{{- end }}
{{- end }}
