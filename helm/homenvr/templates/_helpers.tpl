{{/* Chart name, overridable. */}}
{{- define "homenvr.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: "<release>-homenvr", or the release name when it already says homenvr. */}}
{{- define "homenvr.fullname" -}}
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

{{- define "homenvr.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "homenvr.selectorLabels" -}}
app.kubernetes.io/name: {{ include "homenvr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "homenvr.labels" -}}
helm.sh/chart: {{ include "homenvr.chart" . }}
{{ include "homenvr.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: homenvr
{{- end }}

{{- define "homenvr.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "homenvr.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "repository@digest" when a digest is set, else "repository:tag", the tag defaulting to the
chart's appVersion. Call with (list .Values.x.image $). */}}
{{- define "homenvr.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/*
The namespaced rules the operator needs wherever it reconciles CameraMonitors, each with the part
of the operator that uses it. helm/src/test/.../rbac/OperatorRbacProof runs the operator with
exactly these rules on a real API server through the whole healing ladder: a request they refuse,
or a rule no request used, fails it.
*/}}
{{- define "homenvr.namespacedRules" -}}
# the CameraMonitors: watched and read; patched only to remove the revert-override annotation once
# an AI fix has been reverted (the operator never writes the spec); status applied
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors/status"]
  verbs: ["patch"]
# owner references that block owner deletion need this where OwnerReferencesPermissionEnforcement is on
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors/finalizers"]
  verbs: ["update"]
# the pipeline's ConfigMap (JOSDK writes ConfigMaps with create/update, not server-side apply), the
# incident evidence and the AI-fix prompts; owner references delete them with the CameraMonitor
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update"]
# the pipeline's Service, PVC and Deployment: JOSDK dependents, server-side applied (patch; an
# apply that creates the object needs create as well)
- apiGroups: [""]
  resources: ["services", "persistentvolumeclaims"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch"]
# health checks read the pipeline's pods from an informer (list, watch; label-selected) and
# their logs and CPU; a restart deletes them by label (deletecollection), a pod that outlived a
# restart lost to an operator crash by name
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "delete", "deletecollection"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: ["metrics.k8s.io"]
  resources: ["pods"]
  verbs: ["get"]
# Tier 2: the AI-fix Job
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "create"]
# referenced Secrets are checked for existence and keys; never written
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
# Events about CameraMonitors, one per transition
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{- define "homenvr.leaseRules" -}}
# create cannot be limited by name; reading and renewing can. fabric8's LeaseLock renews with patch;
# JOSDK checks for update (with create and get) before it elects
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ include "homenvr.fullname" . | quote }}]
  verbs: ["get", "update", "patch"]
{{- end }}

{{- define "homenvr.nodeRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
{{- end }}
