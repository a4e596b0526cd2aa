// Orders API written with CDK for Terraform: the same stack as ../e9501-tcp-to-self-signed-user-data, a REST
// API -> VPC link -> NLB TCP listener (TLS pass-through) -> EC2 instances that make their own self-signed
// certificate at boot. `cdktf synth` writes cdktf.out/stacks/orders/cdk.tf.json, which is what Terraform
// (and tlspath) reads.
import { App, TerraformStack, TerraformVariable, Fn, TerraformCount } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayVpcLink } from "@cdktf/provider-aws/lib/api-gateway-vpc-link";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";

const apiHost = "orders.internal.example.com";

class OrdersStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });

    const vpcId = new TerraformVariable(this, "vpc_id", { type: "string" });
    const subnetIds = new TerraformVariable(this, "subnet_ids", { type: "list(string)" });
    const amiId = new TerraformVariable(this, "ami_id", { type: "string" });
    const instanceCount = new TerraformVariable(this, "instance_count", { type: "number", default: 2 });
    const name = "orders-prod";

    // Migrated from HCL: every resource keeps the address it had, so no state has to move.
    const api = new ApiGatewayRestApi(this, "api", { name, endpointConfiguration: { types: ["REGIONAL"] } });
    api.overrideLogicalId("orders");
    const resource = new ApiGatewayResource(this, "resource", {
      restApiId: api.id, parentId: api.rootResourceId, pathPart: "orders",
    });
    resource.overrideLogicalId("orders");
    const method = new ApiGatewayMethod(this, "list_orders", {
      restApiId: api.id, resourceId: resource.id, httpMethod: "GET", authorization: "NONE",
    });
    const nlb = new Lb(this, "nlb", { name, internal: true, loadBalancerType: "network", subnets: subnetIds.listValue });
    nlb.overrideLogicalId("orders");
    const link = new ApiGatewayVpcLink(this, "link", { name, targetArns: [nlb.arn] });
    link.overrideLogicalId("orders");
    new ApiGatewayIntegration(this, "list_orders_integration", {
      restApiId: api.id, resourceId: resource.id, httpMethod: method.httpMethod, type: "HTTP_PROXY",
      integrationHttpMethod: "GET", uri: `https://${apiHost}/orders`, connectionType: "VPC_LINK",
      connectionId: link.id,
    }).overrideLogicalId("list_orders");
    const group = new LbTargetGroup(this, "group", {
      name, port: 443, protocol: "TCP", targetType: "instance", vpcId: vpcId.stringValue,
      healthCheck: { protocol: "TCP" },
    });
    group.overrideLogicalId("orders");
    new LbListener(this, "listener", {
      loadBalancerArn: nlb.arn, port: 443, protocol: "TCP",
      defaultAction: [{ type: "forward", targetGroupArn: group.arn }],
    }).overrideLogicalId("orders");
    const count = TerraformCount.of(instanceCount.numberValue);
    const instances = new Instance(this, "instances", {
      count, ami: amiId.stringValue, instanceType: "t3.small",
      subnetId: Fn.element(subnetIds.listValue, count.index),
      userData: [
        "#!/bin/bash",
        "set -euo pipefail",
        "dnf install -y nginx openssl",
        "mkdir -p /etc/pki/nginx/private",
        `openssl req -x509 -nodes -newkey rsa:2048 -days 365 -subj "/CN=${apiHost}" ` +
          "-keyout /etc/pki/nginx/private/server.key -out /etc/pki/nginx/server.crt",
        "systemctl enable --now nginx",
      ].join("\n"),
      tags: { Name: `${name}-${count.index}` },
    });
    instances.overrideLogicalId("orders");
    new LbTargetGroupAttachment(this, "attachment", {
      count, targetGroupArn: group.arn, targetId: `\${${instances.fqn}[count.index].id}`, port: 443,
    }).overrideLogicalId("orders");
  }
}

const app = new App();
new OrdersStack(app, "orders");
app.synth();
