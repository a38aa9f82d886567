from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.rest.serializers import as_serializer_errors, service_errors
from core.rest.viewsets import StrictRequestMixin
from portal.models import WebhookDelivery, WebhookSubscription
from portal.webhooks import services

from .serializers import (
    WebhookDeliverySerializer,
    WebhookSecretSerializer,
    WebhookSubscriptionSerializer,
)


class HasApiToken(permissions.BasePermission):
    """Any usable token, a partner's read token included: a subscription writes no record
    the API publishes, only its own owner's settings."""

    def has_permission(self, request, view):
        return request.auth is not None


WRITES = ["create", "update", "partial_update"]


@extend_validation_errors(["address_refused", "invalid"], "url", WRITES)
@extend_validation_errors(["required", "invalid_choice", "duplicate"], "events", WRITES)
@extend_validation_errors(["paused"], "non_field_errors", ["send_test"])
@extend_schema_view(
    list=extend_schema(summary="Your webhook subscriptions"),
    create=extend_schema(
        summary="Subscribe an address to events",
        responses={201: WebhookSecretSerializer},
    ),
    retrieve=extend_schema(summary="One of your webhook subscriptions"),
    update=extend_schema(summary="Change a subscription"),
    partial_update=extend_schema(summary="Change some of a subscription's fields"),
    destroy=extend_schema(summary="End a subscription (its delivery log goes with it)"),
)
class WebhookViewSet(StrictRequestMixin, viewsets.ModelViewSet):
    """Webhook subscriptions of the calling token: addresses told of changes as they happen.

    A token sees and manages only its own subscriptions; another's is a 404. A partner's
    read token may manage them too: they change no published record. See “Webhooks” in
    the guide for the events, the payload and how to check the signature.
    """

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [HasApiToken]
    filter_backends = []
    lookup_value_regex = "[0-9]{1,18}"
    ordering = ["-created", "-pk"]

    @property
    def extra_parameters(self) -> tuple[str, ...]:
        if getattr(self, "action", None) == "deliveries":
            return ("page", "page_size", "state")
        return ()

    def get_queryset(self):
        return WebhookSubscription.objects.owned_by(self.request.auth).order_by(*self.ordering)

    @property
    def changed_by(self):
        return self.request.user if self.request.user.is_authenticated else None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            subscription = services.create_subscription(
                token=request.auth, changed_by=self.changed_by, **serializer.validated_data
            )
        return Response(WebhookSecretSerializer(subscription).data, status=201)

    def perform_update(self, serializer):
        with service_errors():
            services.update_subscription(
                subscription=serializer.instance,
                changed_by=self.changed_by,
                **serializer.validated_data,
            )

    def perform_destroy(self, instance):
        services.delete_subscription(subscription=instance, changed_by=self.changed_by)

    @extend_schema(
        summary="Send a test event (ping) to the subscription",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request, pk=None):
        subscription = self.get_object()
        try:
            delivery = services.send_test_event(subscription=subscription)
        except DjangoValidationError as error:
            raise ValidationError(as_serializer_errors(error)) from None
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Resume a paused subscription",
        request=None,
        responses={200: WebhookSubscriptionSerializer},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscription = self.get_object()
        services.resume_subscription(subscription=subscription, changed_by=self.changed_by)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(
        summary="Replace the signing secret",
        request=None,
        responses={200: WebhookSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription = self.get_object()
        services.rotate_secret(subscription=subscription, changed_by=self.changed_by)
        return Response(WebhookSecretSerializer(subscription).data)

    @extend_schema(
        summary="The subscription's delivery log, newest first",
        parameters=[
            OpenApiParameter(
                "state",
                enum=WebhookDelivery.State.values,
                description="Only the deliveries in this state.",
            )
        ],
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by(
            "-created", "-pk"
        )
        state = request.query_params.get("state")
        if state is not None:
            if state not in WebhookDelivery.State.values:
                raise ValidationError(
                    {
                        "state": [
                            _("Choose one of: %(states)s.")
                            % {"states": ", ".join(WebhookDelivery.State.values)}
                        ]
                    },
                    code="invalid_choice",
                )
            deliveries = deliveries.filter(state=state)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, OverflowError):
            raise Http404 from None


ROUTES = [("webhooks", WebhookViewSet, "webhook")]
