namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// ELBv2 answers shaped like the sample responses of the Elastic Load Balancing API Reference (2015-12-01),
/// with the names and ARNs of the seed workflow (retail-forecast on EKS, AWS Load Balancer Controller tags).
/// </summary>
internal static class ElasticLoadBalancingSamples
{
    public const string Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    public const string AlbArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188";
    public const string NlbArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-mlops-retailap-8e1d2c3b4a/73e2d6bc24d8a067";
    public const string ListenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188/f2f7dc8efc522ab2";
    public const string TargetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-mlops-retailfo-1a2b3c4d5e/73e2d6bc24d8a067";

    public static string LoadBalancersPage(string? nextMarker, params string[] members) => $"""
        <DescribeLoadBalancersResponse xmlns="{Namespace}">
          <DescribeLoadBalancersResult>
            <LoadBalancers>
              {string.Concat(members)}
            </LoadBalancers>
            {(nextMarker is null ? string.Empty : $"<NextMarker>{nextMarker}</NextMarker>")}
          </DescribeLoadBalancersResult>
          <ResponseMetadata>
            <RequestId>6581c0ac-f39f-11e5-bb98-57195a6eb84a</RequestId>
          </ResponseMetadata>
        </DescribeLoadBalancersResponse>
        """;

    public static string AlbMember(string arn = AlbArn, string name = "k8s-mlops-retailfo-3f2a1b9c7d") => $"""
        <member>
          <LoadBalancerArn>{arn}</LoadBalancerArn>
          <Scheme>internet-facing</Scheme>
          <LoadBalancerName>{name}</LoadBalancerName>
          <VpcId>vpc-3ac0fb5f</VpcId>
          <CanonicalHostedZoneId>Z2P70J7EXAMPLE</CanonicalHostedZoneId>
          <CreatedTime>2016-03-25T21:26:12.920Z</CreatedTime>
          <AvailabilityZones>
            <member>
              <SubnetId>subnet-8360a9e7</SubnetId>
              <ZoneName>eu-west-1a</ZoneName>
            </member>
            <member>
              <SubnetId>subnet-b7d581c0</SubnetId>
              <ZoneName>eu-west-1b</ZoneName>
            </member>
          </AvailabilityZones>
          <SecurityGroups>
            <member>sg-5943793c</member>
          </SecurityGroups>
          <DNSName>{name}-424835706.eu-west-1.elb.amazonaws.com</DNSName>
          <State>
            <Code>active</Code>
          </State>
          <Type>application</Type>
          <IpAddressType>ipv4</IpAddressType>
        </member>
        """;

    public const string NlbMember = $"""
        <member>
          <LoadBalancerArn>{NlbArn}</LoadBalancerArn>
          <Scheme>internal</Scheme>
          <LoadBalancerName>k8s-mlops-retailap-8e1d2c3b4a</LoadBalancerName>
          <VpcId>vpc-3ac0fb5f</VpcId>
          <CreatedTime>2024-05-02T08:10:44.512Z</CreatedTime>
          <AvailabilityZones>
            <member>
              <SubnetId>subnet-8360a9e7</SubnetId>
              <ZoneName>eu-west-1a</ZoneName>
              <LoadBalancerAddresses>
                <member>
                  <PrivateIPv4Address>10.0.1.25</PrivateIPv4Address>
                </member>
              </LoadBalancerAddresses>
            </member>
          </AvailabilityZones>
          <DNSName>k8s-mlops-retailap-8e1d2c3b4a-73e2d6bc24d8a067.elb.eu-west-1.amazonaws.com</DNSName>
          <State>
            <Code>provisioning</Code>
          </State>
          <Type>network</Type>
        </member>
        """;

    public const string LoadBalancerAttributes = $"""
        <DescribeLoadBalancerAttributesResponse xmlns="{Namespace}">
          <DescribeLoadBalancerAttributesResult>
            <Attributes>
              <member>
                <Value>false</Value>
                <Key>deletion_protection.enabled</Key>
              </member>
              <member>
                <Value>60</Value>
                <Key>idle_timeout.timeout_seconds</Key>
              </member>
              <member>
                <Value></Value>
                <Key>access_logs.s3.bucket</Key>
              </member>
            </Attributes>
          </DescribeLoadBalancerAttributesResult>
          <ResponseMetadata>
            <RequestId>1549581b-12b7-11e3-895e-1334aEXAMPLE</RequestId>
          </ResponseMetadata>
        </DescribeLoadBalancerAttributesResponse>
        """;

    public const string Listeners = $"""
        <DescribeListenersResponse xmlns="{Namespace}">
          <DescribeListenersResult>
            <Listeners>
              <member>
                <LoadBalancerArn>{AlbArn}</LoadBalancerArn>
                <Protocol>HTTPS</Protocol>
                <Port>443</Port>
                <ListenerArn>{ListenerArn}</ListenerArn>
                <SslPolicy>ELBSecurityPolicy-TLS13-1-2-2021-06</SslPolicy>
                <Certificates>
                  <member>
                    <CertificateArn>arn:aws:acm:eu-west-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557</CertificateArn>
                  </member>
                </Certificates>
                <DefaultActions>
                  <member>
                    <Type>forward</Type>
                    <TargetGroupArn>{TargetGroupArn}</TargetGroupArn>
                    <ForwardConfig>
                      <TargetGroups>
                        <member>
                          <TargetGroupArn>{TargetGroupArn}</TargetGroupArn>
                          <Weight>1</Weight>
                        </member>
                      </TargetGroups>
                      <TargetGroupStickinessConfig>
                        <Enabled>false</Enabled>
                      </TargetGroupStickinessConfig>
                    </ForwardConfig>
                  </member>
                </DefaultActions>
              </member>
              <member>
                <LoadBalancerArn>{AlbArn}</LoadBalancerArn>
                <Protocol>HTTP</Protocol>
                <Port>80</Port>
                <ListenerArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188/0467ef3c8400ae65</ListenerArn>
                <DefaultActions>
                  <member>
                    <Type>redirect</Type>
                    <Order>1</Order>
                    <RedirectConfig>
                      <Protocol>HTTPS</Protocol>
                      <Port>443</Port>
                      <Host>#{"{"}host{"}"}</Host>
                      <Path>/#{"{"}path{"}"}</Path>
                      <Query>#{"{"}query{"}"}</Query>
                      <StatusCode>HTTP_301</StatusCode>
                    </RedirectConfig>
                  </member>
                </DefaultActions>
              </member>
            </Listeners>
          </DescribeListenersResult>
          <ResponseMetadata>
            <RequestId>18e470d3-f39c-11e5-a53c-67205c0d10fd</RequestId>
          </ResponseMetadata>
        </DescribeListenersResponse>
        """;

    public const string Rules = $"""
        <DescribeRulesResponse xmlns="{Namespace}">
          <DescribeRulesResult>
            <Rules>
              <member>
                <IsDefault>false</IsDefault>
                <Conditions>
                  <member>
                    <Field>path-pattern</Field>
                    <Values>
                      <member>/predict/*</member>
                    </Values>
                    <PathPatternConfig>
                      <Values>
                        <member>/predict/*</member>
                      </Values>
                    </PathPatternConfig>
                  </member>
                  <member>
                    <Field>host-header</Field>
                    <HostHeaderConfig>
                      <Values>
                        <member>forecast.example.com</member>
                      </Values>
                    </HostHeaderConfig>
                  </member>
                  <member>
                    <Field>http-header</Field>
                    <HttpHeaderConfig>
                      <HttpHeaderName>X-Canary</HttpHeaderName>
                      <Values>
                        <member>true</member>
                      </Values>
                    </HttpHeaderConfig>
                  </member>
                  <member>
                    <Field>query-string</Field>
                    <QueryStringConfig>
                      <Values>
                        <member>
                          <Key>version</Key>
                          <Value>v2</Value>
                        </member>
                      </Values>
                    </QueryStringConfig>
                  </member>
                </Conditions>
                <Priority>10</Priority>
                <Actions>
                  <member>
                    <Type>forward</Type>
                    <ForwardConfig>
                      <TargetGroups>
                        <member>
                          <TargetGroupArn>{TargetGroupArn}</TargetGroupArn>
                          <Weight>80</Weight>
                        </member>
                        <member>
                          <TargetGroupArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-mlops-retailca-9f8e7d6c5b/1234567890abcdef</TargetGroupArn>
                          <Weight>20</Weight>
                        </member>
                      </TargetGroups>
                      <TargetGroupStickinessConfig>
                        <Enabled>true</Enabled>
                        <DurationSeconds>3600</DurationSeconds>
                      </TargetGroupStickinessConfig>
                    </ForwardConfig>
                  </member>
                </Actions>
                <RuleArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee</RuleArn>
              </member>
              <member>
                <IsDefault>true</IsDefault>
                <Conditions/>
                <Priority>default</Priority>
                <Actions>
                  <member>
                    <Type>fixed-response</Type>
                    <FixedResponseConfig>
                      <MessageBody>not found</MessageBody>
                      <StatusCode>404</StatusCode>
                      <ContentType>text/plain</ContentType>
                    </FixedResponseConfig>
                  </member>
                </Actions>
                <RuleArn>arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188/f2f7dc8efc522ab2/0d5bd0a1e9c3f2a7</RuleArn>
              </member>
            </Rules>
          </DescribeRulesResult>
          <ResponseMetadata>
            <RequestId>74926cf3-f3a3-11e5-b543-cd3e6EXAMPLE</RequestId>
          </ResponseMetadata>
        </DescribeRulesResponse>
        """;

    public const string TargetGroups = $"""
        <DescribeTargetGroupsResponse xmlns="{Namespace}">
          <DescribeTargetGroupsResult>
            <TargetGroups>
              <member>
                <TargetGroupArn>{TargetGroupArn}</TargetGroupArn>
                <HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds>
                <HealthCheckPort>traffic-port</HealthCheckPort>
                <Matcher>
                  <HttpCode>200-399</HttpCode>
                </Matcher>
                <TargetGroupName>k8s-mlops-retailfo-1a2b3c4d5e</TargetGroupName>
                <HealthCheckProtocol>HTTP</HealthCheckProtocol>
                <HealthCheckPath>/healthz</HealthCheckPath>
                <Protocol>HTTP</Protocol>
                <ProtocolVersion>HTTP1</ProtocolVersion>
                <Port>8080</Port>
                <VpcId>vpc-3ac0fb5f</VpcId>
                <HealthyThresholdCount>5</HealthyThresholdCount>
                <HealthCheckEnabled>true</HealthCheckEnabled>
                <HealthCheckIntervalSeconds>15</HealthCheckIntervalSeconds>
                <UnhealthyThresholdCount>2</UnhealthyThresholdCount>
                <LoadBalancerArns>
                  <member>{AlbArn}</member>
                </LoadBalancerArns>
                <TargetType>ip</TargetType>
                <IpAddressType>ipv4</IpAddressType>
              </member>
            </TargetGroups>
          </DescribeTargetGroupsResult>
          <ResponseMetadata>
            <RequestId>54618294-f3a8-11e5-bb98-57195a6eb84a</RequestId>
          </ResponseMetadata>
        </DescribeTargetGroupsResponse>
        """;

    public const string TargetGroupAttributes = $"""
        <DescribeTargetGroupAttributesResponse xmlns="{Namespace}">
          <DescribeTargetGroupAttributesResult>
            <Attributes>
              <member>
                <Value>300</Value>
                <Key>deregistration_delay.timeout_seconds</Key>
              </member>
              <member>
                <Value>lb_cookie</Value>
                <Key>stickiness.type</Key>
              </member>
            </Attributes>
          </DescribeTargetGroupAttributesResult>
          <ResponseMetadata>
            <RequestId>54618294-f3a8-11e5-bb98-57195aEXAMPLE</RequestId>
          </ResponseMetadata>
        </DescribeTargetGroupAttributesResponse>
        """;

    public const string TargetHealthXml = $"""
        <DescribeTargetHealthResponse xmlns="{Namespace}">
          <DescribeTargetHealthResult>
            <TargetHealthDescriptions>
              <member>
                <HealthCheckPort>8080</HealthCheckPort>
                <TargetHealth>
                  <State>healthy</State>
                </TargetHealth>
                <Target>
                  <Port>8080</Port>
                  <Id>10.0.1.17</Id>
                  <AvailabilityZone>eu-west-1a</AvailabilityZone>
                </Target>
              </member>
              <member>
                <HealthCheckPort>8080</HealthCheckPort>
                <TargetHealth>
                  <State>unhealthy</State>
                  <Reason>Target.ResponseCodeMismatch</Reason>
                  <Description>Health checks failed with these codes: [503]</Description>
                </TargetHealth>
                <Target>
                  <Port>8080</Port>
                  <Id>10.0.2.41</Id>
                </Target>
              </member>
              <member>
                <TargetHealth>
                  <State>draining</State>
                  <Reason>Target.DeregistrationInProgress</Reason>
                  <Description>Target deregistration is in progress</Description>
                </TargetHealth>
                <Target>
                  <Port>8080</Port>
                  <Id>10.0.3.9</Id>
                </Target>
              </member>
              <member>
                <TargetHealth>
                  <State>unhealthy.draining</State>
                </TargetHealth>
                <Target>
                  <Id>10.0.3.10</Id>
                </Target>
              </member>
            </TargetHealthDescriptions>
          </DescribeTargetHealthResult>
          <ResponseMetadata>
            <RequestId>c534f810-f389-11e5-9192-3fff33344cfa</RequestId>
          </ResponseMetadata>
        </DescribeTargetHealthResponse>
        """;

    public static string Tags(IEnumerable<string> arns) => $"""
        <DescribeTagsResponse xmlns="{Namespace}">
          <DescribeTagsResult>
            <TagDescriptions>
              {string.Concat(arns.Select(arn => $"""
                <member>
                  <ResourceArn>{arn}</ResourceArn>
                  <Tags>
                    <member>
                      <Value>retail-forecast-cluster</Value>
                      <Key>elbv2.k8s.aws/cluster</Key>
                    </member>
                    <member>
                      <Value>mlops/retail-forecast</Value>
                      <Key>ingress.k8s.aws/stack</Key>
                    </member>
                  </Tags>
                </member>
                """))}
            </TagDescriptions>
          </DescribeTagsResult>
          <ResponseMetadata>
            <RequestId>34f144db-f2d9-11e5-a53c-67205c0d10fd</RequestId>
          </ResponseMetadata>
        </DescribeTagsResponse>
        """;

    public static string Error(string code, string message, string requestId = "b1c4f5d1-9c2e-4a6b-8f1e-2d3c4b5a6978", string type = "Sender") => $"""
        <ErrorResponse xmlns="{Namespace}">
          <Error>
            <Type>{type}</Type>
            <Code>{code}</Code>
            <Message>{message}</Message>
          </Error>
          <RequestId>{requestId}</RequestId>
        </ErrorResponse>
        """;
}
