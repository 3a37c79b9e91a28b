{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "pattern-tts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: the release name when it already contains the chart name ("pattern-tts"), else release-chart.
*/}}
{{- define "pattern-tts.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pattern-tts.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every object.
*/}}
{{- define "pattern-tts.labels" -}}
helm.sh/chart: {{ include "pattern-tts.chart" . }}
app.kubernetes.io/name: {{ include "pattern-tts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pattern-tts
{{- end }}

{{/*
Selector labels of one component. Call with (dict "context" $ "component" "service|router|legacy").
*/}}
{{- define "pattern-tts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pattern-tts.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
All labels of one component. Call with (dict "context" $ "component" "...").
*/}}
{{- define "pattern-tts.componentLabels" -}}
{{ include "pattern-tts.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
image reference. Call with (dict "image" .Values.x.image "context" $); an empty tag means the appVersion.
*/}}
{{- define "pattern-tts.image" -}}
{{- $tag := default .context.Chart.AppVersion .image.tag -}}
{{- if eq (toString $tag) "latest" }}
{{- fail (printf "%s: pin an image tag; \"latest\" is not allowed" .image.repository) }}
{{- end }}
{{- printf "%s:%s" .image.repository (toString $tag) }}
{{- end }}

{{- define "pattern-tts.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pattern-tts.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The claim holding the model folder when tts.model.volume is "pvc".
*/}}
{{- define "pattern-tts.modelClaimName" -}}
{{- default (printf "%s-models" (include "pattern-tts.fullname" .)) .Values.tts.model.pvc.existingClaim }}
{{- end }}

{{/*
Arm addresses for the router: explicit values win, else this release's in-cluster Services.
*/}}
{{- define "pattern-tts.newArmAddress" -}}
{{- default (printf "http://%s:%v" .Values.tts.service.name .Values.tts.service.port) .Values.router.arms.newAddress }}
{{- end }}

{{- define "pattern-tts.legacyArmAddress" -}}
{{- if .Values.router.arms.legacyAddress }}
{{- .Values.router.arms.legacyAddress }}
{{- else if .Values.legacy.enabled }}
{{- printf "http://%s:%v" .Values.legacy.service.name .Values.legacy.service.port }}
{{- end }}
{{- end }}

{{/*
NetworkPolicy peer for the DLE v4 gateway's pods (in its own namespace when namespaceLabels is set).
*/}}
{{- define "pattern-tts.gatewayPeer" -}}
- podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.gateway.podLabels | nindent 6 }}
  {{- with .Values.networkPolicy.gateway.namespaceLabels }}
  namespaceSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
{{- end }}

{{/*
NetworkPolicy ingress rule letting Prometheus scrape the management port, when networkPolicy.monitoring.enabled.
*/}}
{{- define "pattern-tts.monitoringRule" -}}
{{- if .Values.networkPolicy.monitoring.enabled }}
- from:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.monitoring.namespaceLabels | nindent 10 }}
  ports:
    - port: management
      protocol: TCP
{{- end }}
{{- end }}

{{/*
The service's image: docker/Dockerfile.gpu's (the CPU tag plus tts.gpu.tagSuffix) when tts.gpu.enabled.
*/}}
{{- define "pattern-tts.ttsImage" -}}
{{- $image := include "pattern-tts.image" (dict "image" .Values.tts.image "context" .) -}}
{{- if .Values.tts.gpu.enabled }}
{{- printf "%s%s" $image .Values.tts.gpu.tagSuffix }}
{{- else }}
{{- $image }}
{{- end }}
{{- end }}

{{/*
The download-model init container of every pod that reads the model from a volume: the service and its Helm test.
*/}}
{{- define "pattern-tts.ttsModelDownload" -}}
{{- if and .Values.tts.model.download.enabled (ne .Values.tts.model.volume "image") }}
initContainers:
  # The service's own download-model command: fetches into <file>.partial, checks size and sha256, renames;
  # a copy already on the volume is re-verified and kept, so a PVC downloads only once.
  - name: download-model
    image: {{ include "pattern-tts.ttsImage" . | quote }}
    imagePullPolicy: {{ .Values.tts.image.pullPolicy }}
    command:
      - dotnet
      - PatternTts.Service.dll
      - download-model
      - --dest
      - {{ .Values.tts.config.modelPath | quote }}
      - --variant
      - {{ .Values.tts.model.download.variant | quote }}
      {{- with .Values.tts.model.download.url }}
      - --url
      - {{ . | quote }}
      {{- end }}
    env:
      - name: TTS_TEMP_DIR
        value: {{ .Values.tts.config.tempDir | quote }}
    resources:
      {{- toYaml .Values.tts.initResources | nindent 6 }}
    securityContext:
      {{- toYaml .Values.tts.securityContext | nindent 6 }}
    volumeMounts:
      - name: models
        mountPath: {{ .Values.tts.config.modelPath }}
      - name: tmp
        mountPath: /tmp
{{- end }}
{{- end }}

{{/*
The models volume (an emptyDir or the claim); nothing when the model is in the image.
*/}}
{{- define "pattern-tts.ttsModelVolume" -}}
{{- if eq .Values.tts.model.volume "emptyDir" }}
- name: models
  emptyDir:
    sizeLimit: {{ .Values.tts.model.emptyDirSizeLimit }}
{{- else if eq .Values.tts.model.volume "pvc" }}
- name: models
  persistentVolumeClaim:
    claimName: {{ include "pattern-tts.modelClaimName" . }}
{{- end }}
{{- end }}

{{/*
The service container's resources, with one nvidia.com/gpu on GPU nodes.
*/}}
{{- define "pattern-tts.ttsResources" -}}
{{- if .Values.tts.gpu.enabled }}
requests:
  {{- toYaml .Values.tts.resources.requests | nindent 2 }}
limits:
  {{- toYaml .Values.tts.resources.limits | nindent 2 }}
  nvidia.com/gpu: {{ .Values.tts.gpu.count }}
{{- else }}
{{- toYaml .Values.tts.resources }}
{{- end }}
{{- end }}

{{/*
Where service pods run: tts.nodeSelector, affinity and tolerations, plus the GPU node selector and toleration.
*/}}
{{- define "pattern-tts.ttsScheduling" -}}
{{- if or .Values.tts.nodeSelector .Values.tts.gpu.enabled }}
nodeSelector:
  {{- with .Values.tts.nodeSelector }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- if .Values.tts.gpu.enabled }}
  {{- toYaml .Values.tts.gpu.nodeSelector | nindent 2 }}
  {{- end }}
{{- end }}
{{- with .Values.tts.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if or .Values.tts.tolerations .Values.tts.gpu.enabled }}
tolerations:
  {{- with .Values.tts.tolerations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- if .Values.tts.gpu.enabled }}
  {{- toYaml .Values.tts.gpu.tolerations | nindent 2 }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
ConnectionStrings__redis for the router (shared rollout) and the speech service (audio cache): the release's Redis, an external endpoint or a Secret; nothing for mode none.
*/}}
{{- define "pattern-tts.redisConnectionEnv" -}}
{{- if not (has .Values.redis.mode (list "internal" "external" "none")) }}
{{- fail (printf "redis.mode must be internal, external or none, got %q" .Values.redis.mode) }}
{{- end }}
{{- if eq .Values.redis.mode "internal" }}
- name: ConnectionStrings__redis
  value: {{ printf "%s-redis:%v" (include "pattern-tts.fullname" .) .Values.redis.port | quote }}
{{- else if and (eq .Values.redis.mode "external") .Values.redis.external.connectionStringSecret.name }}
- name: ConnectionStrings__redis
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.external.connectionStringSecret.name }}
      key: {{ .Values.redis.external.connectionStringSecret.key }}
{{- else if eq .Values.redis.mode "external" }}
{{- if not .Values.redis.external.endpoint }}
{{- fail "redis.mode external needs redis.external.endpoint or redis.external.connectionStringSecret.name" }}
{{- end }}
- name: ConnectionStrings__redis
  value: {{ .Values.redis.external.endpoint | quote }}
{{- end }}
{{- end }}
