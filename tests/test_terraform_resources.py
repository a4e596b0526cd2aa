"""Each Terraform resource the path goes through is mapped: seen as a hop in traces, judged by the same rules
as its CloudFormation twin, its fields pointing at the line they were written on."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import column_of, edit, line_of
from pki import AT, issue, pem_bundle, private_ca
from terraform_snippets import (
    SELF_SIGNING_SCRIPT, acm_certificate, clean_rest_path, instance, nlb, pass_through_path, rest_integration,
    tcp_listener, tls_listener, vpc_link,
)


def findings(tlspath, folder, *args):
    run = tlspath(folder, "--format", "json", "--at", AT.date().isoformat(), *args)
    assert run.report["errors"] == []
    return run.findings


def roles(finding) -> list[tuple[str, str]]:
    return [(s["role"], s["resource"]) for s in finding["trace"]]


# ------------------------------------------------------------------------------------------ API Gateway


def test_clean_rest_path_has_no_finding_and_one_path(tlspath, write, tmp_path):
    write("main.tf", clean_rest_path())
    run = tlspath(tmp_path, "--format", "json")
    assert run.findings == [] and run.report["summary"]["paths"] == 1 and run.code == 0


def test_integration_fields_point_at_their_lines(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration(uri='"http://api.example.com:443/"') + vpc_link() + nlb() +
                 tls_listener() + acm_certificate())
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9506", line_of(main, "uri "))
    assert roles(finding)[:4] == [("integration", "aws_api_gateway_integration.get"),
                                  ("vpc_link", "aws_api_gateway_vpc_link.link"), ("load_balancer", "aws_lb.nlb"),
                                  ("listener", "aws_lb_listener.tls")]


def test_route_comes_from_the_method_and_resource_chain(tlspath, write, tmp_path):
    write("main.tf", '''
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_resource" "v1" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "v1"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.v1.id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "post" {
  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = aws_api_gateway_resource.orders.id
  http_method     = aws_api_gateway_method.post.http_method
  type            = "HTTP_PROXY"
  uri             = "https://api.example.com/"
  connection_type = "VPC_LINK"
  connection_id   = aws_api_gateway_vpc_link.link.id
}
''' + vpc_link() + nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT))
    finding, = findings(tlspath, tmp_path)
    assert "aws_api_gateway_integration.post (POST /v1/orders)" in finding["message"]


@pytest.mark.parametrize(("method", "parent", "part", "named"), [
    ("var.method", "var.part", "var.part", "(aws_api_gateway_integration.post)"),  # nothing known: the name alone
    ('"POST"', '"v1"', "var.part", "(aws_api_gateway_integration.post (POST /v1/\u2026))"),
    ("var.method", '"v1"', '"orders"', "(aws_api_gateway_integration.post (/v1/orders))"),
])
def test_a_route_the_files_do_not_give_is_left_out_not_shown_as_question_marks(tlspath, write, tmp_path, method,
                                                                                 parent, part, named):
    write("main.tf", edit('''
variable "method" {
  type = string
}

variable "part" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_resource" "v1" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = PARENT
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.v1.id
  path_part   = PART
}

resource "aws_api_gateway_integration" "post" {
  rest_api_id     = aws_api_gateway_rest_api.api.id
  resource_id     = aws_api_gateway_resource.orders.id
  http_method     = METHOD
  type            = "HTTP_PROXY"
  uri             = "https://api.example.com/"
  connection_type = "VPC_LINK"
  connection_id   = aws_api_gateway_vpc_link.link.id
}
''', {"PARENT": parent, "PART": part, "METHOD": method}) + vpc_link() + nlb() + tcp_listener() + instance(SELF_SIGNING_SCRIPT))
    finding, = findings(tlspath, tmp_path)
    assert "?" not in finding["message"] and named in finding["message"], finding["message"]


def test_v1_link_to_an_application_load_balancer(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link("aws_alb.web.arn") + '''
resource "aws_alb" "web" {
  name = "web"
}
''')
    finding = next(f for f in findings(tlspath, tmp_path) if f["rule"] == "E9509")
    assert finding["line"] == line_of(main, "target_arns") and "application load balancer" in finding["message"]


def test_v2_link_needs_integration_target(tlspath, write, tmp_path):
    link = '''
resource "aws_apigatewayv2_vpc_link" "v2" {
  name       = "v2"
  subnet_ids = ["subnet-1"]
}
'''
    write("without/main.tf", rest_integration(link="aws_apigatewayv2_vpc_link.v2.id") + link + nlb() +
          tls_listener() + acm_certificate())
    write("with/main.tf", rest_integration(link="aws_apigatewayv2_vpc_link.v2.id",
                                           extra="  integration_target = aws_lb.nlb.arn") + link + nlb() +
          tls_listener() + acm_certificate())
    assert [f["rule"] for f in findings(tlspath, tmp_path / "without")] == ["E9509"]
    assert findings(tlspath, tmp_path / "with") == []


def http_api(tls_config: str) -> str:
    return f'''
resource "aws_apigatewayv2_api" "api" {{
  name          = "api"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_vpc_link" "v2" {{
  name       = "v2"
  subnet_ids = ["subnet-1"]
}}

resource "aws_apigatewayv2_integration" "proxy" {{
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "HTTP_PROXY"
  integration_uri  = aws_lb_listener.tls.arn
  connection_type  = "VPC_LINK"
  connection_id    = aws_apigatewayv2_vpc_link.v2.id
{tls_config}
}}
''' + nlb() + tls_listener() + acm_certificate()


def test_http_api_server_name_to_verify(tlspath, write, tmp_path):
    main = write("main.tf", http_api('  tls_config {\n    server_name_to_verify = "other.example.com"\n  }'))
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9503", line_of(main, "server_name_to_verify"))
    assert roles(finding)[0] == ("integration", "aws_apigatewayv2_integration.proxy")


REGISTRY_LINK = '''
module "vpc_link" {
  source  = "terraform-aws-modules/apigateway-v2/aws//modules/vpc-link"
  version = "5.0.0"
}
'''


def test_http_api_listener_is_judged_behind_a_link_from_a_registry_module(tlspath, write, tmp_path):
    """The listener ARN names the listener: a VPC link the files cannot give is its own I9513, and the
    listener, its certificate and its targets are still judged."""
    main = write("main.tf", edit(http_api('  tls_config {\n    server_name_to_verify = "other.example.com"\n  }'),
                                 {"aws_apigatewayv2_vpc_link.v2.id": "module.vpc_link.id"}) + REGISTRY_LINK)
    gap, mismatch = findings(tlspath, tmp_path)
    assert (gap["rule"], gap["line"]) == ("I9513", line_of(main, "connection_id"))
    assert "cannot resolve the VPC link" in gap["message"] and "module" in gap["message"]
    assert (mismatch["rule"], mismatch["line"]) == ("E9503", line_of(main, "server_name_to_verify"))
    assert [role for role, _ in roles(mismatch)] == ["integration", "load_balancer", "listener", "target_group",
                                                     "certificate"]


def test_http_api_listener_from_a_data_source_is_an_unresolved_listener(tlspath, write, tmp_path):
    main = write("main.tf", edit(http_api(""), {"aws_lb_listener.tls.arn": "data.aws_lb_listener.shared.arn"}) + '''
data "aws_lb_listener" "shared" {
  port = 443
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(main, "integration_uri"))
    assert "cannot resolve the listener" in finding["message"]


@pytest.mark.parametrize("count", ["", "  count = 2\n"])
def test_http_api_integration_to_a_cloud_map_service_says_where_it_goes(tlspath, write, tmp_path, count):
    uri = "aws_service_discovery_service.orders[0].arn" if count else "aws_service_discovery_service.orders.arn"
    main = write("main.tf", edit(http_api('  tls_config {\n    server_name_to_verify = "api.example.com"\n  }'),
                                 {"aws_lb_listener.tls.arn": uri}) +
                 f'resource "aws_service_discovery_service" "orders" {{\n{count}  name = "orders"\n}}\n')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("I9513", line_of(main, "integration_uri"))
    assert "goes to the AWS Cloud Map service 'aws_service_discovery_service.orders" in finding["message"]
    assert "(server_name_to_verify)" in finding["fix"] and "scan" not in finding["fix"]


def test_http_api_without_tls_config_speaks_plain_http(tlspath, write, tmp_path):
    write("main.tf", http_api(""))
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9506"


# ---------------------------------------------------------------------------------------- load balancing


def test_weighted_forward_reaches_every_target_group(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + '''
resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 90
      }

      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = 10
      }
    }
  }
}

resource "aws_lb_target_group" "blue" {
  port     = 443
  protocol = "TCP"
}

resource "aws_lb_target_group" "green" {
  port     = 443
  protocol = "TCP"
}
''' + instance('"echo blue"', "blue", "blue") + instance(SELF_SIGNING_SCRIPT, "green", "green"))
    finding, = findings(tlspath, tmp_path)
    assert finding["resource"] == "aws_instance.green"
    assert {r for role, r in roles(finding) if role == "target_group"} == {"aws_lb_target_group.blue",
                                                                            "aws_lb_target_group.green"}


def test_listener_certificate_adds_to_the_sni_list(tlspath, write, tmp_path):
    write("main.tf", rest_integration(uri='"https://admin.example.com/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate() + '''
resource "aws_acm_certificate" "admin" {
  domain_name = "admin.example.com"
}

resource "aws_lb_listener_certificate" "admin" {
  listener_arn    = aws_lb_listener.tls.arn
  certificate_arn = aws_acm_certificate.admin.arn
}
''')
    run = tlspath(tmp_path, "--format", "json")  # covered, no E9503; but only on the SNI list (I9523)
    assert run.ids() == ["I9523"] and run.report["summary"]["paths"] == 1


ALB_BEHIND_NLB = '''
resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.nlb.arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.alb.arn
  }
}

resource "aws_lb_target_group" "alb" {
  target_type = "alb"
  port        = 443
  protocol    = "TCP"
}

resource "aws_lb_target_group_attachment" "alb" {
  target_group_arn = aws_lb_target_group.alb.arn
  target_id        = aws_lb.alb.arn
  port             = 443
}

resource "aws_lb" "alb" {
  name               = "alb"
  internal           = true
  load_balancer_type = "application"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.private.arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}

resource "aws_acm_certificate" "private" {
  domain_name               = "api.example.com"
  certificate_authority_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/1"
}
'''


def test_alb_target_group_continues_at_the_alb_https_listener(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + ALB_BEHIND_NLB)
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "certificate_authority_arn"))
    assert ("listener", "aws_lb_listener.https") in roles(finding)


def test_alb_target_group_port_without_an_alb_listener_is_e9507(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + edit(ALB_BEHIND_NLB, {
        '  target_type = "alb"\n  port        = 443': '  target_type = "alb"\n  port        = 8443'}))
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9507", line_of(main, "port        = 8443"))
    assert "to port 8443 of 'aws_lb.alb', but nothing listens there (listeners: 443/HTTPS)" in finding["message"]
    assert finding["fix"].startswith("Set port of 'aws_lb_target_group.alb' to the port of a listener of 'aws_lb.alb'")


def test_alb_listener_without_protocol_is_http(tlspath, write, tmp_path):
    write("main.tf", rest_integration(uri='"https://api.example.com:8080/"') + vpc_link("aws_lb.alb.arn") + '''
resource "aws_lb" "alb" {
  name = "alb"
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.alb.arn
  port              = 8080

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_target_group" "web" {
  port     = 8080
  protocol = "HTTP"
}
''')
    messages = [f["message"] for f in findings(tlspath, tmp_path) if f["rule"] == "E9506"]
    assert messages and "HTTP" in messages[0]


# ------------------------------------------------------------------------------------------------ targets


def test_auto_scaling_group_with_launch_template_by_id_and_templatefile(tlspath, write, tmp_path):
    script = write("boot.sh.tftpl", "#!/bin/bash\necho ${name}\nopenssl req -x509 -newkey rsa:2048 -subj /CN=${name}\n")
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_launch_template" "web" {
  image_id  = "ami-0c1b2d3e4f5a6b7c8"
  user_data = base64encode(templatefile("${path.module}/boot.sh.tftpl", { name = "web" }))
}

resource "aws_autoscaling_group" "web" {
  min_size          = 1
  max_size          = 2
  target_group_arns = [aws_lb_target_group.tg.arn]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9501", str(script), line_of(script, "openssl"))
    assert roles(finding)[-1] == ("target", "aws_autoscaling_group.web")


def test_auto_scaling_group_with_mixed_instances_policy_and_attachment(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + f'''
resource "aws_launch_template" "web" {{
  name      = "web-template"
  user_data = {SELF_SIGNING_SCRIPT}
}}

resource "aws_autoscaling_group" "web" {{
  min_size = 1
  max_size = 2

  mixed_instances_policy {{
    launch_template {{
      launch_template_specification {{
        launch_template_name = "web-template"
      }}
    }}
  }}
}}

resource "aws_autoscaling_attachment" "web" {{
  autoscaling_group_name = aws_autoscaling_group.web.id
  lb_target_group_arn    = aws_lb_target_group.tg.arn
}}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "openssl req"))


def test_launch_configuration_user_data(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_launch_configuration" "web" {
  image_id      = "ami-0c1b2d3e4f5a6b7c8"
  instance_type = "t3.small"
  user_data     = "#!/bin/sh\\nkeytool -genkeypair -alias web -keystore /srv/web.jks\\n"
}

resource "aws_autoscaling_group" "web" {
  min_size             = 1
  max_size             = 2
  launch_configuration = aws_launch_configuration.web.name
  target_group_arns    = [aws_lb_target_group.tg.arn]
}
''')
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9501" and "keytool" in finding["message"]


def test_instance_launched_from_a_launch_template(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + f'''
resource "aws_launch_template" "web" {{
  user_data = base64encode(
    {SELF_SIGNING_SCRIPT}
  )
}}

resource "aws_instance" "web" {{
  launch_template {{
    id = aws_launch_template.web.id
  }}
}}

resource "aws_lb_target_group_attachment" "web" {{
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.web.id
}}
''')
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["E9501"]


def test_ecs_service_with_a_self_signing_container_command(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + '''
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "example/api:1.4"
    command = [
      "sh", "-c",
      "openssl req -x509 -nodes -subj /CN=api -keyout /k -out /c && exec api --tls-cert /c",
    ]
    portMappings = [{ containerPort = 8443 }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2

  load_balancer {
    target_group_arn = aws_lb_target_group.tg.arn
    container_name   = "api"
    container_port   = 8443
  }
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, '"openssl req'))
    assert roles(finding)[-1] == ("target", "aws_ecs_service.api")


ECS_WITH_SIDECAR = '''
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "example/api:1.4"
      secrets      = [{ name = "TLS_BUNDLE", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-tls" }]
      portMappings = [{ containerPort = 8443 }]
    },
    {
      name         = "metrics"
      image        = "prom/node-exporter"
      command      = ["sh", "-c", "openssl req -x509 -nodes -subj /CN=metrics -keyout /k -out /c && exec node_exporter"]
      portMappings = [{ containerPort = 9443 }]
    },
  ])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn

  load_balancer {
    target_group_arn = aws_lb_target_group.tg.arn
    container_name   = "api"
    container_port   = 8443
  }
}
'''


@pytest.mark.parametrize("container", ['"api"', "var.container"])
def test_a_sidecars_command_is_no_evidence_of_the_load_balanced_container(tlspath, write, tmp_path, container):
    """The load balancer sends API Gateway's connection to container "api"; the metrics sidecar's self-signed
    certificate is never on the path -- and a container_name nobody gives cannot tell which container it is."""
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + 'variable "container" {}\n'
                 + ECS_WITH_SIDECAR.replace('container_name   = "api"', f"container_name   = {container}"))
    assert [(f["rule"], f["line"]) for f in findings(tlspath, tmp_path) if f["rule"] != "I9513"] == [
        ("W9502", line_of(main, 'protocol          = "TCP"'))]
    write("main.tf", main.read_text(encoding="utf-8").replace('container_name   = "api"', 'container_name   = "metrics"'))
    if container == '"api"':
        finding, = findings(tlspath, tmp_path)
        assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "openssl req"))


def test_the_finding_is_at_the_load_balanced_containers_own_command(tlspath, write, tmp_path):
    """A sidecar that makes its own certificate and a load-balanced container that does too: the finding
    names the served container's command and stands at its line (where a suppression for it goes), never at
    the sidecar's."""
    sidecar_first = edit(ECS_WITH_SIDECAR, {ECS_WITH_SIDECAR[ECS_WITH_SIDECAR.index("    {\n"):
                                                            ECS_WITH_SIDECAR.index("  ])\n")]: """    {
      name         = "metrics"
      image        = "prom/node-exporter"
      command      = ["sh", "-c", "openssl req -x509 -nodes -subj /CN=metrics -keyout /k -out /c && exec node_exporter"]
      portMappings = [{ containerPort = 9443 }]
    },
    {
      name         = "api"
      image        = "example/api:1.4"
      entryPoint   = ["sh", "-c"]
      command      = ["mkcert -cert-file /c -key-file /k api.internal && exec api"]
      portMappings = [{ containerPort = 8443 }]
    },
"""})
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener() + sidecar_first)
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "mkcert"))
    assert "(mkcert (a local development CA))" in finding["message"]


def test_a_container_command_written_with_an_interpolation_is_found_at_its_line(tlspath, write, tmp_path):
    """The served container's command is not written word for word (``${var.cn}``), but only it shows the
    command: the finding is at its line."""
    tasks = edit(ECS_WITH_SIDECAR, {
        "openssl req -x509 -nodes -subj /CN=metrics -keyout /k -out /c && exec node_exporter": "exec node_exporter",
        '      portMappings = [{ containerPort = 8443 }]\n': (
            '      command      = ["sh", "-c", "openssl req -x509 -subj /CN=${var.cn} -keyout /k -out /c"]\n'
            '      portMappings = [{ containerPort = 8443 }]\n')})
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tcp_listener()
                 + 'variable "cn" {\n  default = "api"\n}\n' + tasks)
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "/CN=${var.cn}"))


def test_user_data_handed_a_tls_self_signed_cert(tlspath, write, tmp_path):
    main = write("main.tf", pass_through_path('''<<-EOT
    #!/bin/bash
    cat > /etc/ssl/server.crt <<'PEM'
    ${tls_self_signed_cert.backend.cert_pem}
    PEM
  EOT''') + '''
resource "tls_self_signed_cert" "backend" {
  private_key_pem       = "unused"
  validity_period_hours = 8760
  allowed_uses          = ["server_auth"]
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "${tls_self_signed_cert.backend.cert_pem}"))
    assert "tls_self_signed_cert.backend.cert_pem (a self-signed certificate)" in finding["message"]


def test_user_data_from_file(tlspath, write, tmp_path):
    script = write("scripts/boot.sh", "#!/bin/bash\nset -e\nopenssl req -x509 -newkey rsa:2048 -subj /CN=x\n")
    write("main.tf", pass_through_path('filebase64("${path.module}/scripts/boot.sh")'))
    finding, = findings(tlspath, tmp_path)
    assert (finding["file"], finding["line"]) == (str(script), line_of(script, "openssl"))


def test_plain_user_data_behind_tcp_is_only_a_warning(tlspath, write, tmp_path):
    write("main.tf", pass_through_path('"#!/bin/bash\\nsystemctl start api\\n"'))
    assert [f["rule"] for f in findings(tlspath, tmp_path)] == ["W9502"]


# ------------------------------------------------------------------------------------------ certificates


def test_acm_validation_resolves_to_the_certificate(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration(uri='"https://other.example.com/"') + vpc_link() + nlb() +
                 tls_listener("aws_acm_certificate_validation.cert.certificate_arn") + acm_certificate())
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9503" and "api.example.com" in finding["message"]
    assert ("certificate", "aws_acm_certificate.cert") in roles(finding)
    assert finding["line"] == line_of(main, "uri ")


def test_subject_alternative_names_cover_the_host(tlspath, write, tmp_path):
    write("main.tf", rest_integration(uri='"https://orders.example.com/"') + vpc_link() + nlb() + tls_listener() +
          acm_certificate(extra='  subject_alternative_names = ["orders.example.com"]'))
    assert findings(tlspath, tmp_path) == []


def test_private_ca_certificate_with_acmpca_authority(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener() + acm_certificate(
        extra="  certificate_authority_arn = aws_acmpca_certificate_authority.corp.arn") + '''
resource "aws_acmpca_certificate_authority" "corp" {
  type = "ROOT"
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"]) == ("E9501", line_of(main, "certificate_authority_arn ="))


def test_tls_locally_signed_cert_is_not_publicly_trusted(tlspath, write, tmp_path):
    write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener("aws_iam_server_certificate.app.arn") + '''
resource "tls_private_key" "ca" {
  algorithm = "ECDSA"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600
  allowed_uses          = ["cert_signing"]
}

resource "tls_private_key" "app" {
  algorithm = "RSA"
}

resource "tls_cert_request" "app" {
  private_key_pem = tls_private_key.app.private_key_pem
  dns_names       = ["api.example.com"]

  subject {
    common_name = "api.example.com"
  }
}

resource "tls_locally_signed_cert" "app" {
  cert_request_pem      = tls_cert_request.app.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 8760
  allowed_uses          = ["server_auth"]
}

resource "aws_iam_server_certificate" "app" {
  name             = "app"
  certificate_body = tls_locally_signed_cert.app.cert_pem
  private_key      = tls_private_key.app.private_key_pem
}
''')
    finding, = findings(tlspath, tmp_path)
    assert finding["rule"] == "E9501" and "issued by a private CA" in finding["message"]


def test_skip_verification_keeps_host_name_and_expiry_checks_for_tls_certs(tlspath, write, tmp_path):
    main = write("main.tf", rest_integration(uri='"https://api.example.com/"',
                                             extra="  tls_config {\n    insecure_skip_verification = true\n  }") +
                 vpc_link() + nlb() + tls_listener("aws_acm_certificate.imported.arn") + '''
resource "tls_private_key" "k" {
  algorithm = "RSA"
  rsa_bits  = 4096
}

resource "tls_self_signed_cert" "self" {
  private_key_pem       = tls_private_key.k.private_key_pem
  dns_names             = ["backend.internal"]
  validity_period_hours = 168
  allowed_uses          = ["server_auth"]

  subject {
    common_name = "backend.internal"
  }
}

resource "aws_acm_certificate" "imported" {
  private_key      = tls_private_key.k.private_key_pem
  certificate_body = tls_self_signed_cert.self.cert_pem
}
''')
    got = {f["rule"]: f for f in findings(tlspath, tmp_path)}
    assert set(got) == {"W9510", "E9503", "W9504", "W9514"}  # no E9501: verification of the issuer is off
    assert "backend.internal" in got["E9503"]["message"]
    assert "168 hours" in got["W9504"]["message"] and "RSA-4096" in got["W9514"]["message"]
    assert got["W9510"]["line"] == line_of(main, "insecure_skip_verification")


@pytest.mark.parametrize("how", ["heredoc", "file"])
def test_imported_pem_is_judged(tlspath, write, tmp_path, how):
    root, intermediate = private_ca("Corp Root")
    leaf = issue("api.example.com", issuer=intermediate, sans=("api.example.com",),
                 not_before=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                 not_after=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    if how == "file":
        write("leaf.pem", leaf.pem)
        write("chain.pem", pem_bundle(intermediate, root))
        body, chain = 'file("leaf.pem")', 'file("chain.pem")'
    else:
        indented = "".join(f"    {line}\n" for line in leaf.pem.splitlines())
        body, chain = f"<<-EOT\n{indented}  EOT", '"${file("chain.pem")}"'
        write("chain.pem", pem_bundle(intermediate, root))
    main = write("main.tf", rest_integration() + vpc_link() + nlb() + tls_listener("aws_acm_certificate.pem.arn") + f'''
resource "aws_acm_certificate" "pem" {{
  private_key       = var.key
  certificate_body  = {body}
  certificate_chain = {chain}
}}

variable "key" {{
  sensitive = true
  default   = "from-secrets"
}}
''')
    got = sorted((f["rule"], f["line"]) for f in findings(tlspath, tmp_path))
    assert got == sorted([("E9501", line_of(main, "certificate_body")), ("E9504", line_of(main, "certificate_body"))])


# ------------------------------------------------------------------------------------------ private keys

KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\\n-----END RSA PRIVATE KEY-----"


def test_private_key_in_a_quoted_literal(tlspath, write, tmp_path):
    main = write("main.tf", f'resource "aws_iam_server_certificate" "c" {{\n  name = "c"\n  private_key = "{KEY}"\n}}\n')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"], finding["resource"]) == ("E9512", line_of(main, "private_key ="),
                                                                      "aws_iam_server_certificate.c")
    assert "MIIBOg" not in finding["message"]


def test_private_key_in_tfvars_and_in_a_variable_default(tlspath, write, tmp_path):
    main = write("main.tf", f'variable "key" {{\n  default = "{KEY}"\n}}\n')
    tfvars = write("terraform.tfvars", f'key = "{KEY}"\n')
    got = sorted((f["rule"], f["file"], f["resource"]) for f in findings(tlspath, tmp_path))
    assert got == [("E9512", str(main), "var.key"), ("E9512", str(tfvars), "terraform.tfvars")]


def test_generated_private_key_is_not_a_finding(tlspath, write, tmp_path):
    write("main.tf", '''
resource "tls_private_key" "k" {
  algorithm = "RSA"
}

resource "aws_iam_server_certificate" "c" {
  name             = "c"
  certificate_body = file("cert.pem")
  private_key      = tls_private_key.k.private_key_pem
}
''')
    assert findings(tlspath, tmp_path) == []


def test_user_data_rendered_by_template_data_sources(tlspath, write, tmp_path):
    template = write("tls.tpl", "%{ for name in split(\",\", hosts) ~}\nopenssl req -x509 -subj /CN=${name}\n%{ endfor ~}\n")
    write("main.tf", pass_through_path("data.cloudinit_config.boot.rendered") + '''
data "template_file" "tls" {
  template = file("tls.tpl")
  vars = {
    hosts = "api,admin"
  }
}

data "cloudinit_config" "boot" {
  part {
    content_type = "text/x-shellscript"
    content      = "#!/bin/bash\\ndnf install -y nginx\\n"
  }

  part {
    content_type = "text/x-shellscript"
    content      = data.template_file.tls.rendered
  }
}
''')
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["file"], finding["line"]) == ("E9501", str(template), line_of(template, "openssl"))


def test_http_api_openapi_body(tlspath, write, tmp_path):
    main = write("main.tf", '''
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/orders" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type           = "http_proxy"
            uri            = aws_lb_listener.tls.arn
            connectionType = "VPC_LINK"
            connectionId   = aws_apigatewayv2_vpc_link.v2.id
            tlsConfig = {
              serverNameToVerify = "other.example.com"
            }
          }
        }
      }
    }
  })
}

resource "aws_apigatewayv2_vpc_link" "v2" {
  name       = "v2"
  subnet_ids = ["subnet-1"]
}
''' + nlb() + tls_listener() + acm_certificate())
    finding, = findings(tlspath, tmp_path)
    assert (finding["rule"], finding["line"], finding["column"]) == ("E9503", line_of(main, "serverNameToVerify"),
                                                                     column_of(main, "serverNameToVerify"))
    assert finding["resource"] == "aws_apigatewayv2_api.api GET /orders"


UNREAD_BODIES = {
    "variable-without-value": ('variable "spec" {}\n', "var.spec", "(variable 'spec' has no value)",
                               "set it in terraform.tfvars, pass --var spec=... or set TF_VAR_spec"),
    "data-http": ('data "http" "spec" {\n  url = "https://example.com/openapi.json"\n}\n',
                  "data.http.spec.response_body", "(data source data.http.spec is read from the cloud account at plan "
                  "time)", "reference the resource that creates it in the scanned files, or pass the value as a variable"),
    "file-outside-the-tree": ("", 'file("../openapi.json")', "(file() names '../openapi.json', outside the scanned "
                              "tree, which tlspath never reads)", "scan a folder that contains it too"),
}


@pytest.mark.parametrize("vpc_link", [False, True], ids=["no-vpc-link-in-the-module", "vpc-link-in-the-module"])
@pytest.mark.parametrize("case", UNREAD_BODIES)
def test_an_api_body_the_files_do_not_hold_is_an_i9513_whatever_the_module_mentions(tlspath, write, tmp_path, case,
                                                                                     vpc_link):
    """An API body the scan cannot read may hold private integrations whose VPC link is declared in another root
    (passed by id): one I9513 at the body line, in CloudFormation's words, whether or not the module's text says
    vpc_link -- it said nothing at all where it did not."""
    declared, body, why, fix = UNREAD_BODIES[case]
    link = 'resource "aws_api_gateway_vpc_link" "link" {\n  name        = "link"\n  target_arns = ["arn"]\n}\n'
    write("openapi.json", "{}")
    main = write("infra/main.tf", declared + 'resource "aws_api_gateway_rest_api" "api" {\n  name = "orders"\n'
                 f"  body = {body}\n}}\n" + (link if vpc_link else ""))
    gap, = findings(tlspath, tmp_path / "infra")
    assert (gap["rule"], gap["level"], gap["line"]) == ("I9513", "info", line_of(main, "body"))
    assert gap["message"] == (f"'aws_api_gateway_rest_api.api': the API definition in body is not in the scanned files "
                              f"{why}, so its private integrations cannot be checked")
    assert gap["fix"] == fix


def test_an_ssl_policy_from_a_variable_without_value_is_an_i9513(tlspath, write, tmp_path):
    """E9508 rests on the listener's policy: a variable without a value is said at the ssl_policy line, naming
    the variable and how to give it -- the certificate is still judged (no other finding here)."""
    main = write("main.tf", 'variable "tls_policy" {}\n' + edit(clean_rest_path(), {
        "  certificate_arn   = aws_acm_certificate_validation.cert.certificate_arn":
        "  certificate_arn   = aws_acm_certificate_validation.cert.certificate_arn\n  ssl_policy        = var.tls_policy"}))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (run.code, finding["rule"], finding["line"]) == (0, "I9513", line_of(main, "ssl_policy"))
    assert "depends on its ssl_policy, which the files do not give (variable 'tls_policy' has no value)" in finding["message"]
    assert finding["fix"].startswith("set it in terraform.tfvars, pass --var tls_policy=...")
    run = tlspath(tmp_path, "--format", "json", "--var", "tls_policy=ELBSecurityPolicy-TLS13-1-3-2021-06")
    assert run.ids() == ["E9508"]


@pytest.mark.parametrize("script, rule", [
    ('<<-EOT\n    #!/bin/bash\n    # was: openssl req -x509 -nodes -newkey rsa:2048 -keyout /k.pem -out /c.pem\n'
     '    aws acm export-certificate --certificate-arn "$ARN" --passphrase file://p > /c.json\n  EOT', "W9502"),
    ('<<-EOT\n    #!/bin/bash\n    echo "openssl req -x509 -nodes -newkey rsa:2048" > /etc/motd\n  EOT', "W9502"),
    ('<<-EOT\n    #!/bin/bash\n    openssl req -x509 -nodes -newkey rsa:2048 -keyout /k.pem -out /c.pem # self-signed\n  EOT',
     "E9501"),
], ids=["comment", "echo", "command"])
def test_user_data_evidence_counts_only_commands_that_run(tlspath, write, tmp_path, script, rule):
    main = write("main.tf", pass_through_path(script))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], run.code) == (rule, 1)
    if rule == "E9501":
        assert finding["line"] == line_of(main, "openssl req")


def test_tls13_only_user_data_behind_tcp_is_e9508_at_the_directive(tlspath, write, tmp_path):
    main = write("main.tf", pass_through_path('<<-EOT\n    #!/bin/bash\n    cat > /etc/nginx/conf.d/tls.conf <<NGINX\n'
                                              '    server {\n      listen 443 ssl;\n      ssl_protocols TLSv1.3;\n'
                                              '    }\n    NGINX\n  EOT'))
    run = tlspath(tmp_path, "--format", "json")
    finding, = run.findings
    assert (finding["rule"], finding["level"], run.code) == ("E9508", "error", 1)
    assert finding["line"] == line_of(main, "ssl_protocols")
    assert "whose server accepts only TLS 1.3 (nginx ssl_protocols TLSv1.3)" in finding["message"]
    assert 'protocol = "TLS"' in finding["fix"]
